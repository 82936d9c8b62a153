//! Pacing: Meta allows 2 calls/s per Page or Instagram account on the Conversations API. Every
//! request reserves the next free slot, so concurrent callers are spread evenly instead of
//! bursting into a throttle; and when its wait is over it departs only one interval after the
//! request before it actually left, so a late wake-up (a busy event loop) never squeezes two
//! requests together.

#[derive(Debug, Clone, PartialEq)]
pub struct Pacer {
    interval_ms: f64,
    next_free_ms: f64,
    last_departure_ms: f64,
}

impl Pacer {
    /// `requests_per_second <= 0` (or not finite) turns pacing off.
    pub fn new(requests_per_second: f64) -> Self {
        let interval_ms = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            1000.0 / requests_per_second
        } else {
            0.0
        };
        Pacer {
            interval_ms,
            next_free_ms: f64::NEG_INFINITY,
            last_departure_ms: f64::NEG_INFINITY,
        }
    }

    /// Called when a request's reserved wait is over: 0 means go now (the departure is
    /// recorded), anything else is how much longer to wait because the request before left late.
    pub fn depart(&mut self, now_ms: f64) -> f64 {
        let earliest = self.last_departure_ms + self.interval_ms;
        if now_ms < earliest {
            return earliest - now_ms;
        }
        self.last_departure_ms = now_ms;
        self.next_free_ms = self.next_free_ms.max(now_ms + self.interval_ms);
        0.0
    }

    /// When the latest request left (`depart` returned 0).
    pub fn last_departure(&self) -> f64 {
        self.last_departure_ms
    }

    /// Reserves a slot for one request; returns how long to wait before sending it.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        let slot = self.next_free_ms.max(now_ms);
        if self.interval_ms > 0.0 {
            self.next_free_ms = slot + self.interval_ms;
        } else {
            // Pacing off still honours a hold (Graph said to wait).
            self.next_free_ms = self.next_free_ms.min(slot);
        }
        slot - now_ms
    }

    /// Nobody sends before `until_ms` (after Graph throttled the account).
    pub fn hold_until(&mut self, until_ms: f64) {
        self.next_free_ms = self.next_free_ms.max(until_ms);
    }

    /// The earliest time the next request may go, on the clock `reserve` is given, never before
    /// `now_ms`.
    pub fn next_free(&self, now_ms: f64) -> f64 {
        self.next_free_ms.max(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests_evenly() {
        let mut p = Pacer::new(2.0);
        assert_eq!(p.reserve(1_000.0), 0.0);
        assert_eq!(p.reserve(1_000.0), 500.0);
        assert_eq!(p.reserve(1_100.0), 900.0);
        // After a quiet spell the next request goes at once, but there is no burst credit.
        assert_eq!(p.reserve(10_000.0), 0.0);
        assert_eq!(p.reserve(10_000.0), 500.0);
    }

    #[test]
    fn a_late_departure_pushes_the_next_one_back() {
        let mut p = Pacer::new(2.0);
        assert_eq!(p.reserve(0.0), 0.0);
        assert_eq!(p.reserve(0.0), 500.0);
        // The first one wakes 200 ms late and leaves at 200; the second, due at 500, must wait
        // until 700, then leaves; a third is reserved after it.
        assert_eq!(p.depart(200.0), 0.0);
        assert_eq!(p.depart(500.0), 200.0);
        assert_eq!(p.depart(700.0), 0.0);
        assert_eq!(p.reserve(700.0), 500.0);
        // On time, nothing changes.
        assert_eq!(p.depart(1_200.0), 0.0);
    }

    #[test]
    fn departures_off_never_wait() {
        let mut p = Pacer::new(0.0);
        assert_eq!(p.depart(5.0), 0.0);
        assert_eq!(p.depart(5.0), 0.0);
    }

    #[test]
    fn off_means_no_wait_but_holds_still_apply() {
        let mut p = Pacer::new(0.0);
        assert_eq!(p.reserve(5.0), 0.0);
        assert_eq!(p.reserve(5.0), 0.0);
        p.hold_until(2_000.0);
        assert_eq!(p.reserve(1_000.0), 1_000.0);
        assert_eq!(p.reserve(2_500.0), 0.0);
    }

    #[test]
    fn a_hold_delays_every_later_slot() {
        let mut p = Pacer::new(2.0);
        p.reserve(0.0);
        p.hold_until(3_000.0);
        assert_eq!(p.reserve(100.0), 2_900.0);
        assert_eq!(p.reserve(100.0), 3_400.0);
    }
}
