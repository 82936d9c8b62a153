//! How big a sync's list request is. Graph publishes no size limit for nested expansion, and a
//! request that is too heavy often fails opaquely (code 1 "unknown error", code 2, a 5xx with an
//! HTML body, a timeout, a dropped connection) rather than with the documented "Please reduce the
//! amount of data". So the size is learned, not configured:
//!
//! - start at Graph's own default page of 25 threads, and double after each success up to the
//!   maximum (100, or the caller's `pageSize`);
//! - a failure of a size that never succeeded is taken as "too heavy": that size becomes the
//!   ceiling and the next try is halfway between the largest size that worked and it (a binary
//!   search), or a quarter of it when nothing has worked yet (a failure then says nothing about
//!   how far off the size is, and every further failure costs a request);
//! - the search stops once the ceiling is within a quarter of a size that works: every failed
//!   probe costs a whole request (or a timeout), and a closer fit pays only on long syncs, which
//!   the periodic probe below refines;
//! - a failure of a size that already worked is a blip first: the same request is sent once
//!   more, and only a second failure shrinks it;
//! - when even 1 thread is too heavy, the nested message limit comes down, halfway to the
//!   detailed messages each time (older ids then come through the `/messages` edge);
//! - when the smallest request still fails [`SMALLEST_ATTEMPTS`] times, the sync gives up with
//!   the cause, and its checkpoint resumes it later;
//! - after [`PROBE_AFTER`] successes under a ceiling, the sync probes halfway to it again (the
//!   ceiling itself once close), in case the failure that set it was a blip or the fit is loose;
//!   each probe that fails doubles that wait;
//! - a request heavier than any that worked gets a deadline from the latency of those that
//!   did ([`RequestSize::deadline_ms`]): Graph often answers an over-heavy request by never
//!   answering, and waiting out the client's whole timeout for every probe would cost more
//!   than probing saves;
//! - a checkpoint keeps the largest size that worked and the ceiling above it, so a resumed run
//!   (the inbox service's next slice, say) starts there instead of learning it again.
//!
//! Where Graph has shown it limits the size, the nested limit also follows the inbox: once a list
//! page holds every thread's messages in full, asking for more nested messages than the longest
//! thread seen only makes requests heavier, so the limit comes down to it (never below the
//! detailed messages) and pages can grow, up to the ceiling scaled by the lighter nesting (a
//! request's weight is about threads × nested messages). Where Graph never refused a size, it
//! stays, since a longer thread later would cost a `/messages` request.
//!
//! Explicit answers are followed as they come: "reduce the amount of data" is a too-heavy
//! failure, and a refusal of nested message details (9000001, or code 100 for the list) keeps
//! the nested limit at the detailed messages for the rest of the sync.

use crate::core::checkpoint::LearnedSize;

/// Graph's default page of conversations: where a sync starts.
pub const START_PAGE_SIZE: u32 = 25;
/// The largest page a sync asks for unless the caller sets `pageSize`.
pub const DEFAULT_MAX_PAGE_SIZE: u32 = 100;
/// Nested messages per thread in a list request: ids beyond the detailed ones come free, and a
/// thread with more pages the rest through the `/messages` edge.
pub const DEFAULT_NESTED_LIMIT: u32 = 50;
/// A shrink that would go below this many threads narrows the nested limit instead: the page
/// goes down to 1 first, since at 1 thread a sync learns how long threads are (and can lighten
/// the nesting to that) without paying a `/messages` request for every thread.
pub const NESTED_FLOOR: u32 = 1;
/// Tries of the smallest request (1 thread, detailed messages only) before the sync fails.
pub const SMALLEST_ATTEMPTS: u32 = 4;
/// Successes under a ceiling before it is probed again.
pub const PROBE_AFTER: u32 = 20;
/// A ceiling within `1 / CLOSE_ENOUGH` of a size that works ends the search.
const CLOSE_ENOUGH: u32 = 4;
/// The first failure, with nothing worked yet, divides the page by this.
const FIRST_SHRINK: u32 = 4;
/// A request heavier than any that worked may take this many times what the slowest success
/// per unit of weight predicts for it...
const PROBE_DEADLINE_FACTOR: f64 = 4.0;
/// ...and never less than this: Meta's pace interval (2 calls/s), sooner than which the next
/// request could not leave anyway.
const PROBE_MIN_DEADLINE_MS: f64 = 500.0;

/// `hi` is within a quarter of `lo` (or 1 thread): probing between them costs more than it saves.
fn close(lo: u32, hi: u32) -> bool {
    hi.saturating_sub(lo) <= (lo / CLOSE_ENOUGH).max(1)
}

/// The page as heavy at `to` nested messages as `page` is at `from` (rounded up).
fn scaled(page: u32, from: u32, to: u32) -> u32 {
    let pages = u64::from(page) * u64::from(from);
    u32::try_from(pages.div_ceil(u64::from(to.max(1)))).unwrap_or(u32::MAX)
}

/// What to do after a failed list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// Send it again unchanged (after the usual backoff): a blip of a size that worked.
    Same,
    /// Send it again smaller, at once.
    Smaller,
    /// Nothing smaller is left to try.
    Exhausted,
}

/// The size of the next list request, and what the sync learned about sizes so far.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSize {
    page: u32,
    max_page: u32,
    nested: u32,
    /// Messages with details per thread: the nested limit never goes below it.
    details: u32,
    /// Graph refused nested details beyond them: the nested limit stays at `details`.
    nested_refused: bool,
    /// The largest page that succeeded at the current nested limit (0: none yet).
    worked: u32,
    /// The smallest page that failed as too heavy at the current nested limit.
    ceiling: Option<u32>,
    /// Consecutive failures of the current request.
    failures: u32,
    /// Successes since the last change of ceiling.
    successes: u32,
    /// Successes under a ceiling before probing above it.
    probe_after: u32,
    /// The ceiling forgotten for a probe, until the probe succeeds or fails.
    probing: Option<u32>,
    /// The most messages a thread had among pages that held their threads in full.
    longest_seen: u32,
    /// Graph failed a request as too heavy at least once.
    limited: bool,
    /// The heaviest request that succeeded (threads × nested messages).
    heaviest: u64,
    /// The slowest success's latency per unit of weight, once one is known.
    slowest_ms_per_unit: Option<f64>,
}

impl RequestSize {
    /// Sizes for a sync keeping `details` detailed messages, with pages of at most `max_page`.
    pub fn new(max_page: u32, details: u32) -> Self {
        RequestSize {
            page: START_PAGE_SIZE.min(max_page),
            max_page,
            nested: DEFAULT_NESTED_LIMIT.max(details),
            details,
            nested_refused: false,
            worked: 0,
            ceiling: None,
            failures: 0,
            successes: 0,
            probe_after: PROBE_AFTER,
            probing: None,
            longest_seen: 0,
            limited: false,
            heaviest: 0,
            slowest_ms_per_unit: None,
        }
    }

    /// Sizes for a sync resumed from a checkpoint: from the size the earlier run learned, which
    /// worked, under the ceiling it found.
    pub fn resumed(max_page: u32, details: u32, learned: Option<LearnedSize>) -> Self {
        let mut size = RequestSize::new(max_page, details);
        if let Some(l) = learned {
            size.page = l.page.min(max_page);
            size.nested = l.nested.clamp(details, DEFAULT_NESTED_LIMIT.max(details));
            size.worked = size.page;
            size.heaviest = size.weight();
            size.ceiling = l.ceiling.filter(|&c| c > size.page);
            size.limited = size.ceiling.is_some() || size.nested < DEFAULT_NESTED_LIMIT;
        }
        size
    }

    /// What a checkpoint keeps: the largest page that worked at this nesting and the ceiling
    /// above it; nothing before a request has worked.
    pub fn learned(&self) -> Option<LearnedSize> {
        (self.worked > 0).then_some(LearnedSize {
            page: self.worked,
            nested: self.nested,
            ceiling: self.ceiling.or(self.probing),
        })
    }

    /// Threads × nested messages: how heavy the next request is.
    fn weight(&self) -> u64 {
        u64::from(self.page) * u64::from(self.nested)
    }

    /// How long to wait for the next request, when that should be shorter than the client's
    /// own timeout: a request heavier than any that worked gets [`PROBE_DEADLINE_FACTOR`] times
    /// what the slowest success predicts for its weight, at least [`PROBE_MIN_DEADLINE_MS`].
    pub fn deadline_ms(&self) -> Option<f64> {
        let per_unit = self.slowest_ms_per_unit?;
        (self.weight() > self.heaviest).then(|| {
            (per_unit * self.weight() as f64 * PROBE_DEADLINE_FACTOR).max(PROBE_MIN_DEADLINE_MS)
        })
    }

    /// Threads per list request now.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// Nested messages per thread now.
    pub fn nested(&self) -> u32 {
        self.nested
    }

    /// Consecutive failures of the current request.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The request succeeded in `latency_ms`: remember the size and how long it took, and grow
    /// toward the maximum or the ceiling.
    pub fn succeeded(&mut self, latency_ms: f64) {
        let per_unit = latency_ms.max(0.0) / self.weight().max(1) as f64;
        self.slowest_ms_per_unit = Some(
            self.slowest_ms_per_unit
                .map_or(per_unit, |s| s.max(per_unit)),
        );
        self.heaviest = self.heaviest.max(self.weight());
        self.failures = 0;
        self.worked = self.worked.max(self.page);
        self.successes += 1;
        if self.probing.is_some_and(|forgotten| self.page >= forgotten) {
            self.probing = None; // the probe went through: the ceiling was a blip
        }
        if self.ceiling.is_some() && self.successes >= self.probe_after {
            self.probing = self.ceiling.take();
            self.successes = 0;
        }
        let limit = match self.ceiling {
            // Close enough to the ceiling: probing on would cost more failures than it saves.
            Some(ceiling) if close(self.page, ceiling) => self.page,
            Some(ceiling) => ceiling.saturating_sub(1).min(self.max_page),
            None => self.max_page,
        };
        let target = match (self.ceiling, self.probing) {
            (Some(ceiling), _) => (self.page + ceiling) / 2,
            // A probe goes halfway to the forgotten ceiling, and tries the ceiling itself once
            // close: one request tells.
            (None, Some(forgotten)) if close(self.page, forgotten) => forgotten,
            (None, Some(forgotten)) if self.page < forgotten => (self.page + forgotten) / 2,
            _ => self.page.saturating_mul(2),
        };
        self.page = target.clamp(self.page, limit.max(self.page));
    }

    /// The request failed in a way that may mean it was too heavy (an opaque or transient
    /// failure; `explicit` when Graph said "reduce the amount of data").
    pub fn failed(&mut self, explicit: bool) -> Shrink {
        self.failures += 1;
        let smallest = self.page == 1 && self.nested == self.details;
        if smallest {
            return if self.failures >= SMALLEST_ATTEMPTS {
                Shrink::Exhausted
            } else {
                Shrink::Same
            };
        }
        // A size that worked before fails once: probably a blip, unless Graph said so.
        if !explicit && self.page <= self.worked && self.failures < 2 {
            return Shrink::Same;
        }
        self.shrink();
        Shrink::Smaller
    }

    fn shrink(&mut self) {
        self.limited = true;
        if self.probing.take().is_some() {
            self.probe_after = self.probe_after.saturating_mul(2);
        }
        self.failures = 0;
        self.successes = 0;
        let fitted = self.longest_seen.max(self.details);
        if self.longest_seen > 0 && fitted < self.nested {
            // Every thread seen fits in fewer nested messages: lighten that first, same page,
            // with the failed size, as heavy at the lighter nesting, as the ceiling.
            self.ceiling = Some(scaled(self.page, self.nested, fitted));
            self.nested = fitted;
            return;
        }
        self.ceiling = Some(self.page);
        if self.page <= self.worked {
            // It worked once but keeps failing now: what worked no longer counts.
            self.worked = 0;
            self.heaviest = 0;
        }
        let next = match self.worked {
            0 if self.page > 1 => (self.page / FIRST_SHRINK).max(1),
            0 => 0,
            worked if close(worked, self.page) => worked,
            worked => (worked + self.page) / 2,
        };
        if next < NESTED_FLOOR && self.nested > self.details {
            // One thread is too heavy: lighter nested expansion, halfway down to the detailed
            // messages (a nesting that still holds whole threads spares each a `/messages`
            // request). The sizes learned at the heavier nesting no longer apply.
            self.nested = (self.nested + self.details) / 2;
            self.ceiling = None;
            return;
        }
        self.page = next.max(1);
    }

    /// A list page held every message of its threads, the longest having `longest`: a nested
    /// limit above the longest thread seen so far only makes requests heavier.
    pub fn threads_fit(&mut self, longest: u32) {
        self.longest_seen = self.longest_seen.max(longest);
        let fitted = self.longest_seen.max(self.details);
        if self.limited && fitted < self.nested {
            // Lighter requests: larger pages may fit now, up to the ceiling as heavy.
            self.ceiling = self.ceiling.map(|c| scaled(c, self.nested, fitted));
            self.nested = fitted;
        }
    }

    /// Graph refused nested message details beyond the detailed ones; `false` when the nested
    /// limit is already there (the refusal is then about something else).
    pub fn nested_refused(&mut self) -> bool {
        if self.nested <= self.details {
            return false;
        }
        self.nested = self.details;
        self.nested_refused = true;
        self.ceiling = None;
        self.failures = 0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs requests against a Graph that serves pages of at most `largest` threads (at any
    /// nesting when `nested_ok`), until `n` threads are read; returns (requests, failures).
    fn walk(n: u32, largest: u32, nested_ok: bool) -> (u32, u32) {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        let (mut read, mut requests, mut failures) = (0, 0, 0);
        while read < n {
            requests += 1;
            let fits = size.page() <= largest && (nested_ok || size.nested() == 20);
            if fits {
                read += size.page();
                size.succeeded(0.0);
            } else {
                failures += 1;
                assert_ne!(size.failed(false), Shrink::Exhausted, "gave up");
            }
        }
        (requests, failures)
    }

    /// A Graph whose hidden limit is a cost (threads × nested limit × 12 fields), for an inbox
    /// of `threads` threads of `messages` messages: (requests, failures) to read it all,
    /// counting the `/messages` requests a nested limit below `messages` needs.
    fn walk_cost(threads: u32, messages: u32, limit: u64) -> (u64, u64) {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        let (mut read, mut requests, mut failures) = (0, 0u64, 0u64);
        while read < threads {
            requests += 1;
            let cost = u64::from(size.page()) * u64::from(size.nested()) * 12;
            if cost <= limit {
                let page = size.page().min(threads - read);
                read += page;
                if size.nested() < messages {
                    requests += u64::from(page);
                }
                size.succeeded(0.0);
                if size.nested() >= messages {
                    size.threads_fit(messages);
                }
            } else {
                failures += 1;
                assert_ne!(size.failed(false), Shrink::Exhausted, "gave up at {limit}");
            }
        }
        (requests, failures)
    }

    #[test]
    fn near_the_fewest_requests_under_any_cost_limit() {
        for limit in (240..=60_000).step_by(613) {
            let (requests, failures) = walk_cost(869, 30, limit as u64);
            let whole = (limit as u64 / (30 * 12)).min(100);
            let lower = if whole > 0 {
                869u64.div_ceil(whole)
            } else {
                869u64.div_ceil((limit as u64 / 240).max(1)) + 869
            };
            assert!(
                requests * 10 <= lower * 13 + 80,
                "limit {limit}: {requests} requests ({failures} failed), lower bound {lower}"
            );
        }
    }

    #[test]
    fn starts_at_graphs_default_and_grows_to_the_maximum() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        let mut pages = vec![size.page()];
        for _ in 0..3 {
            size.succeeded(0.0);
            pages.push(size.page());
        }
        assert_eq!(pages, [25, 50, 100, 100]);
        assert_eq!(size.nested(), 50);
    }

    #[test]
    fn finds_the_largest_size_graph_serves_in_a_few_failures() {
        for largest in [1, 3, 7, 17, 40, 63, 99] {
            let (requests, failures) = walk(1000, largest, true);
            let lower_bound = 1000_u32.div_ceil(largest);
            assert!(failures <= 12, "largest {largest}: {failures} failures");
            assert!(
                requests * 10 <= lower_bound * 12 + 100,
                "largest {largest}: {requests} requests, lower bound {lower_bound}"
            );
        }
    }

    #[test]
    fn narrows_the_nesting_once_one_thread_is_too_heavy() {
        let (_, failures) = walk(100, 1, false);
        assert!(failures <= 12, "{failures}");
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        while size.nested() > 20 {
            assert_eq!(size.failed(false), Shrink::Smaller);
        }
        assert_eq!(size.page(), 1);
    }

    #[test]
    fn a_blip_of_a_size_that_worked_is_retried_unchanged() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        size.succeeded(0.0);
        size.succeeded(0.0); // 100 worked? not yet: the page grew to 100 after 50 worked.
        size.succeeded(0.0); // now 100 worked
        assert_eq!(size.page(), 100);
        assert_eq!(size.failed(false), Shrink::Same);
        assert_eq!(size.page(), 100);
        assert_eq!(size.failed(false), Shrink::Smaller);
        assert!(size.page() < 100);
        // An explicit "reduce the amount of data" shrinks at once.
        let before = size.page();
        assert_eq!(size.failed(true), Shrink::Smaller);
        assert!(size.page() < before);
    }

    #[test]
    fn the_smallest_request_is_tried_a_bounded_number_of_times() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        let mut tries = 0;
        loop {
            tries += 1;
            match size.failed(false) {
                Shrink::Exhausted => break,
                Shrink::Same | Shrink::Smaller => assert!(tries < 40, "never gives up"),
            }
        }
        assert_eq!((size.page(), size.nested()), (1, 20));
        assert!(tries <= 12, "{tries} tries");
    }

    #[test]
    fn the_nesting_comes_down_to_the_longest_thread_seen() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        size.threads_fit(30);
        assert_eq!(
            size.nested(),
            50,
            "unchanged while Graph never refused a size"
        );
        size.failed(false);
        size.threads_fit(30);
        assert_eq!(size.nested(), 30);
        size.threads_fit(12);
        assert_eq!(size.nested(), 30, "the longest seen so far counts");
        let mut short = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        short.failed(true);
        short.threads_fit(3);
        assert_eq!(short.nested(), 20, "never below the detailed messages");
    }

    #[test]
    fn a_request_heavier_than_any_that_worked_gets_a_deadline_from_their_latency() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        assert_eq!(size.deadline_ms(), None, "no latency known yet");
        size.succeeded(2_500.0); // 25 threads × 50 nested: 2 ms per unit
        assert_eq!(size.page(), 50);
        assert_eq!(size.deadline_ms(), Some(4.0 * 2.0 * 2_500.0));
        size.succeeded(0.0);
        assert_eq!(
            size.deadline_ms(),
            Some(4.0 * 2.0 * 5_000.0),
            "the slowest counts"
        );
        size.failed(false); // 100 fails: back between 50 and 100, lighter than what worked
        assert_eq!(size.page(), 75);
        size.failed(false);
        assert_eq!(size.page(), 62);
        let mut fast = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        fast.succeeded(1.0);
        assert_eq!(
            fast.deadline_ms(),
            Some(500.0),
            "never under the pace interval"
        );
        fast.succeeded(1.0);
        fast.succeeded(1.0);
        assert_eq!((fast.page(), fast.deadline_ms()), (100, None), "100 worked");
    }

    #[test]
    fn the_search_stops_within_a_quarter_of_a_size_that_works() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        size.succeeded(0.0);
        size.succeeded(0.0); // 50 worked
        assert_eq!(size.failed(false), Shrink::Smaller); // 100
        assert_eq!(size.failed(false), Shrink::Smaller); // 75
        assert_eq!(size.page(), 62);
        assert_eq!(size.failed(false), Shrink::Smaller); // 62 is within a quarter of 50
        assert_eq!(size.page(), 50);
        for _ in 0..PROBE_AFTER - 1 {
            size.succeeded(0.0);
            assert_eq!(size.page(), 50);
        }
        size.succeeded(0.0);
        assert_eq!(
            size.page(),
            62,
            "after {PROBE_AFTER}, a probe of the close ceiling"
        );
        assert_eq!(size.failed(false), Shrink::Smaller);
        assert_eq!(size.page(), 50);
    }

    #[test]
    fn a_lighter_nesting_scales_the_ceiling_instead_of_forgetting_it() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        size.succeeded(0.0); // 25 × 50 worked
        size.threads_fit(30);
        assert_eq!(size.failed(false), Shrink::Smaller); // 50 × 50 did not
        assert_eq!((size.page(), size.nested()), (50, 30));
        size.succeeded(0.0);
        // 50 × 50 failed, so 84 × 30 is as heavy: halfway to it, not to 100.
        assert_eq!(size.page(), 67);
    }

    #[test]
    fn a_resumed_sync_starts_from_what_the_earlier_run_learned() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        assert_eq!(size.learned(), None, "nothing worked yet");
        size.succeeded(0.0);
        size.threads_fit(30);
        size.failed(false); // 50 × 50 fails: 50 × 30 next, under 84
        size.succeeded(0.0);
        size.failed(false); // 67 fails
        let learned = size.learned().unwrap();
        assert_eq!(
            learned,
            LearnedSize {
                page: 50,
                nested: 30,
                ceiling: Some(67)
            }
        );
        let mut resumed = RequestSize::resumed(DEFAULT_MAX_PAGE_SIZE, 20, Some(learned));
        assert_eq!((resumed.page(), resumed.nested()), (50, 30));
        assert_eq!(resumed.deadline_ms(), None, "a size that worked");
        resumed.succeeded(0.0);
        assert_eq!(resumed.page(), 58, "on toward the ceiling, not past it");
        let smaller = RequestSize::resumed(10, 20, Some(learned));
        assert_eq!(
            (smaller.page(), smaller.nested()),
            (10, 30),
            "the caller's pageSize caps it"
        );
        let fresh = RequestSize::resumed(DEFAULT_MAX_PAGE_SIZE, 20, None);
        assert_eq!(fresh, RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20));
    }

    #[test]
    fn a_refusal_of_nested_details_keeps_the_nesting_narrow() {
        let mut size = RequestSize::new(DEFAULT_MAX_PAGE_SIZE, 20);
        assert!(size.nested_refused());
        assert_eq!(size.nested(), 20);
        assert!(!size.nested_refused());
        for _ in 0..50 {
            size.succeeded(0.0);
        }
        assert_eq!((size.page(), size.nested()), (100, 20));
    }
}
