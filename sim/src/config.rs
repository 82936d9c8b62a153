//! Start-up configuration and the settings that can change at runtime (`/__sim/config`). Each
//! setting is declared once, here: its flag, its default and its documentation.

use std::io;
use std::ops::RangeInclusive;
use std::path::PathBuf;

use clap::{Args, Command, FromArgMatches};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::data;
use crate::heavy::{HeavyFailure, RefuseNested};

/// Everything the simulator can be told at start-up; the `graph-sim` flags parse straight into
/// it. Build it with struct-update syntax:
/// `Config { seed: 7, ..Config::default() }`.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Seed for all data, IDs and injected faults: the same seed gives the same bytes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Also serve static files from DIR at / (for the demo).
    #[arg(long, value_name = "DIR")]
    pub www: Option<PathBuf>,

    /// Append one JSON line per Graph request to FILE (parameter names only, never tokens).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Require a valid appsecret_proof (HMAC-SHA256 of the token, keyed with SECRET).
    #[arg(long, value_name = "SECRET")]
    pub app_secret: Option<String>,

    /// Threads in the Page's Messenger inbox.
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub messenger_threads: u32,

    /// Threads in the Instagram inbox.
    #[arg(long, value_name = "N", default_value_t = 80)]
    pub instagram_threads: u32,

    /// Extra Pages besides the fixed accounts, numbered k = 1..=N: Page ID 106000000100000+k,
    /// token `<page-token>-k`, each with its own inbox and rate-limit buckets.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub pages: u32,

    /// Messenger threads of each extra Page.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub page_threads: u32,

    /// Threads of each extra Page's linked Instagram account (ID 17841400100000000+k); 0: the
    /// extra Pages have no Instagram account.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub page_instagram_threads: u32,

    /// Seeded messages per thread: MIN..MAX or N.
    #[arg(long, value_name = "MIN..MAX", default_value = "1..45", value_parser = parse_range)]
    pub messages: RangeInclusive<u32>,

    /// How many of a thread's newest messages have details (older ones read as deleted).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub detail_window: u32,

    /// Access token of the Page.
    #[arg(long, value_name = "TOKEN", default_value = data::PAGE_TOKEN)]
    pub page_token: String,

    /// Access token of the Instagram account.
    #[arg(long, value_name = "TOKEN", default_value = data::IG_TOKEN)]
    pub ig_token: String,

    /// Deliver messaging webhooks to URL from the start, as if subscribed earlier (no
    /// handshake); `POST /__sim/webhooks/subscribe` subscribes at runtime with the handshake.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,

    /// Key of the webhooks' X-Hub-Signature-256; default: --app-secret, else `sim-app-secret`.
    #[arg(long, value_name = "SECRET")]
    pub webhook_secret: Option<String>,

    /// The hub.verify_token the subscription handshake sends.
    #[arg(long, value_name = "TOKEN", default_value = "sim-verify-token")]
    pub verify_token: String,

    #[command(flatten)]
    pub settings: Settings,

    /// Not a flag: tests hand in a manual clock.
    #[arg(skip = Clock::system())]
    pub clock: Clock,
}

/// The settings `/__sim/config` can read and change while the simulator runs.
#[derive(Debug, Clone, PartialEq, Serialize, Args)]
pub struct Settings {
    /// Calls per second per account inbox (token bucket, capacity = rate); 0 turns limits off.
    #[arg(long, value_name = "N", default_value_t = 2.0)]
    pub rate: f64,

    /// Answer throttling with Messenger's business-use-case error 80006 instead of 613.
    #[arg(long)]
    pub buc_mode: bool,

    /// Largest page size; larger `limit` values are clamped to it.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_limit: u32,

    /// Largest cost of a list request, `limit` × max(1, nested `messages` limit) × max(1,
    /// nested message fields); a costlier request fails as --heavy-failure says. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub reduce_data_threshold: u64,

    /// How a request above --reduce-data-threshold fails.
    #[arg(long, value_name = "STYLE", default_value = "reduce-data")]
    pub heavy_failure: HeavyFailure,

    /// How long --heavy-failure timeout holds the connection before closing it unanswered.
    #[arg(long, value_name = "MS", default_value_t = 120_000)]
    pub heavy_timeout_ms: u64,

    /// Refuse a list asking nested message fields beyond id and created_time with a nested
    /// limit above --detail-window: off, 9000001 (code 9000001) or code-100 (code 100).
    #[arg(long, value_name = "STYLE", default_value = "off")]
    pub refuse_nested_details: RefuseNested,

    #[command(flatten)]
    pub faults: Faults,

    /// Generated inbox changes per second, delivered as webhooks (0: off).
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub live_traffic: f64,

    /// Events that pile up within this window go out in one webhook POST.
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub webhook_batch_ms: u64,

    /// A webhook POST unanswered after this long is a failed attempt (Meta: 20 s).
    #[arg(long, value_name = "MS", default_value_t = 20_000)]
    pub webhook_timeout_ms: u64,

    /// First retry of a failed webhook POST after this long, doubling per attempt.
    #[arg(long, value_name = "MS", default_value_t = 1_000)]
    pub webhook_retry_base_ms: u64,

    /// Longest wait between two retries.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    pub webhook_retry_max_ms: u64,

    /// Failing continuously for this long disables the subscription (Meta: 1 hour).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    pub webhook_disable_after_ms: u64,

    /// Share of webhook POSTs sent twice, and of events sent again in a later POST.
    #[arg(long, value_name = "F", default_value_t = 0.05, value_parser = parse_rate)]
    pub webhook_duplicate_rate: f64,

    /// Share of webhook events held back so that later events overtake them.
    #[arg(long, value_name = "F", default_value_t = 0.05, value_parser = parse_rate)]
    pub webhook_reorder_rate: f64,
}

/// Fault rates, each the probability (0..=1) that a Graph request gets that fault.
#[derive(Debug, Clone, PartialEq, Serialize, Args)]
pub struct Faults {
    /// Share of calls answered with a transient error (HTTP 500 code 2, or a bare 503).
    #[arg(long = "fault-transient", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub transient: f64,

    /// Share of calls that start a throttle burst (see --throttle-burst).
    #[arg(long = "fault-throttle", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle: f64,

    /// Consecutive rate-limit answers in one throttle burst.
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub throttle_burst: u32,

    /// Share of successful calls answered with HTTP 200 and a body that is not JSON.
    #[arg(long = "fault-malformed", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub malformed: f64,

    /// Share of successful calls whose JSON body is cut short.
    #[arg(long = "fault-truncated", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub truncated: f64,

    /// Share of calls delayed by --slow-ms.
    #[arg(long = "fault-slow", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub slow: f64,

    /// Delay of a slow call, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub slow_ms: u64,

    /// Share of calls whose connection is closed without an answer or mid-body.
    #[arg(long = "fault-drop", value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub drop: f64,
}

/// What the flags give when none is passed, so a default is written only on its flag.
fn flag_defaults<T: Args + FromArgMatches>() -> T {
    let matches = T::augment_args(Command::new("graph-sim"))
        .try_get_matches_from(["graph-sim"])
        .and_then(|m| T::from_arg_matches(&m));
    matches.expect("every flag has a default")
}

impl Default for Config {
    fn default() -> Self {
        flag_defaults()
    }
}

impl Default for Settings {
    fn default() -> Self {
        flag_defaults()
    }
}

impl Default for Faults {
    fn default() -> Self {
        flag_defaults()
    }
}

fn parse_range(s: &str) -> Result<RangeInclusive<u32>, String> {
    let num = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| format!("expected N or MIN..MAX, got {s:?}"))
    };
    match s.split_once("..") {
        Some((lo, hi)) => {
            let hi = hi.strip_prefix('=').unwrap_or(hi);
            Ok(num(lo)?..=num(hi)?)
        }
        None => num(s).map(|n| n..=n),
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("expected a number from 0 to 1, got {s:?}")),
    }
}

/// The extra Page `token` belongs to: `<page_token>-k` with k in 1..=pages, written without
/// leading zeros so each Page has exactly one token.
pub fn extra_page(page_token: &str, token: &str, pages: u32) -> Option<u32> {
    let k = token.strip_prefix(page_token)?.strip_prefix('-')?;
    let n: u32 = k.parse().ok()?;
    (n.to_string() == k && (1..=pages).contains(&n)).then_some(n)
}

/// The token of extra Page `k`.
pub fn extra_token(page_token: &str, k: u32) -> String {
    format!("{page_token}-{k}")
}

pub const MAX_THREADS: u32 = 10_000_000;
pub const MAX_MESSAGES: u32 = 1_000_000;

impl Config {
    /// The token of extra Page `k`: `<page_token>-k`, e.g. `sim-page-token-7`.
    pub fn extra_page_token(&self, k: u32) -> String {
        extra_token(&self.page_token, k)
    }

    pub fn validate(&self) -> io::Result<()> {
        let bad = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        let (lo, hi) = (*self.messages.start(), *self.messages.end());
        if lo == 0 || lo > hi || hi > MAX_MESSAGES {
            return bad(format!(
                "messages per thread must be a range within 1..={MAX_MESSAGES}, got {lo}..{hi}"
            ));
        }
        if self.pages > data::MAX_PAGES {
            return bad(format!(
                "pages must be at most {}, got {}",
                data::MAX_PAGES,
                self.pages
            ));
        }
        for (what, n) in [
            ("messenger threads", self.messenger_threads),
            ("instagram threads", self.instagram_threads),
            ("page threads", self.page_threads),
            ("page instagram threads", self.page_instagram_threads),
        ] {
            if n > MAX_THREADS {
                return bad(format!("{what} must be at most {MAX_THREADS}, got {n}"));
            }
        }
        if self.page_token.is_empty()
            || self.ig_token.is_empty()
            || self.page_token == self.ig_token
            || extra_page(&self.page_token, &self.ig_token, self.pages).is_some()
        {
            return bad(
                "the account tokens must be non-empty, different, and the Instagram token must \
                 not be an extra Page's"
                    .into(),
            );
        }
        self.settings.validate().or_else(bad)
    }
}

impl Settings {
    pub fn validate(&self) -> Result<(), String> {
        let f = &self.faults;
        for (name, p) in [
            ("transient", f.transient),
            ("throttle", f.throttle),
            ("malformed", f.malformed),
            ("truncated", f.truncated),
            ("slow", f.slow),
            ("drop", f.drop),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("fault rate {name} must be within 0..=1, got {p}"));
            }
        }
        if !self.rate.is_finite() || self.rate < 0.0 {
            return Err(format!("rate must be a number >= 0, got {}", self.rate));
        }
        if self.max_limit == 0 {
            return Err("max_limit must be at least 1".into());
        }
        if f.throttle_burst == 0 {
            return Err("throttle_burst must be at least 1".into());
        }
        for (name, p) in [
            ("webhook_duplicate_rate", self.webhook_duplicate_rate),
            ("webhook_reorder_rate", self.webhook_reorder_rate),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name} must be within 0..=1, got {p}"));
            }
        }
        if !(0.0..=1000.0).contains(&self.live_traffic) {
            return Err(format!(
                "live_traffic must be within 0..=1000 events/s, got {}",
                self.live_traffic
            ));
        }
        if self.webhook_timeout_ms == 0 || self.webhook_retry_base_ms == 0 {
            return Err("webhook_timeout_ms and webhook_retry_base_ms must be at least 1".into());
        }
        Ok(())
    }

    /// Applies a `/__sim/config` body, all or nothing.
    pub fn apply(&mut self, patch: SettingsPatch) -> Result<(), String> {
        let mut next = self.clone();
        let set = |slot: &mut f64, v: Option<f64>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut next.rate, patch.rate);
        next.buc_mode = patch.buc_mode.unwrap_or(next.buc_mode);
        next.max_limit = patch.max_limit.unwrap_or(next.max_limit);
        next.reduce_data_threshold = patch
            .reduce_data_threshold
            .unwrap_or(next.reduce_data_threshold);
        next.heavy_failure = patch.heavy_failure.unwrap_or(next.heavy_failure);
        next.heavy_timeout_ms = patch.heavy_timeout_ms.unwrap_or(next.heavy_timeout_ms);
        next.refuse_nested_details = patch
            .refuse_nested_details
            .unwrap_or(next.refuse_nested_details);
        set(&mut next.live_traffic, patch.live_traffic);
        set(
            &mut next.webhook_duplicate_rate,
            patch.webhook_duplicate_rate,
        );
        set(&mut next.webhook_reorder_rate, patch.webhook_reorder_rate);
        for (slot, v) in [
            (&mut next.webhook_batch_ms, patch.webhook_batch_ms),
            (&mut next.webhook_timeout_ms, patch.webhook_timeout_ms),
            (&mut next.webhook_retry_base_ms, patch.webhook_retry_base_ms),
            (&mut next.webhook_retry_max_ms, patch.webhook_retry_max_ms),
            (
                &mut next.webhook_disable_after_ms,
                patch.webhook_disable_after_ms,
            ),
        ] {
            *slot = v.unwrap_or(*slot);
        }
        if let Some(fp) = patch.faults {
            let f = &mut next.faults;
            set(&mut f.transient, fp.transient);
            set(&mut f.throttle, fp.throttle);
            set(&mut f.malformed, fp.malformed);
            set(&mut f.truncated, fp.truncated);
            set(&mut f.slow, fp.slow);
            set(&mut f.drop, fp.drop);
            f.throttle_burst = fp.throttle_burst.unwrap_or(f.throttle_burst);
            f.slow_ms = fp.slow_ms.unwrap_or(f.slow_ms);
        }
        next.validate()?;
        *self = next;
        Ok(())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub rate: Option<f64>,
    pub buc_mode: Option<bool>,
    pub max_limit: Option<u32>,
    pub reduce_data_threshold: Option<u64>,
    pub heavy_failure: Option<HeavyFailure>,
    pub heavy_timeout_ms: Option<u64>,
    pub refuse_nested_details: Option<RefuseNested>,
    pub faults: Option<FaultsPatch>,
    pub live_traffic: Option<f64>,
    pub webhook_batch_ms: Option<u64>,
    pub webhook_timeout_ms: Option<u64>,
    pub webhook_retry_base_ms: Option<u64>,
    pub webhook_retry_max_ms: Option<u64>,
    pub webhook_disable_after_ms: Option<u64>,
    pub webhook_duplicate_rate: Option<f64>,
    pub webhook_reorder_rate: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsPatch {
    pub transient: Option<f64>,
    pub throttle: Option<f64>,
    pub throttle_burst: Option<u32>,
    pub malformed: Option<f64>,
    pub truncated: Option<f64>,
    pub slow: Option<f64>,
    pub slow_ms: Option<u64>,
    pub drop: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_flags() {
        let d = Config::default();
        assert_eq!(
            (d.seed, d.messages.clone(), d.page_token.as_str()),
            (42, 1..=45, data::PAGE_TOKEN)
        );
        assert_eq!(d.settings, Settings::default());
        assert_eq!(d.settings.faults, Faults::default());
        assert!(d.validate().is_ok());
    }

    #[test]
    fn parses_ranges_and_fault_rates() {
        assert_eq!(parse_range("5"), Ok(5..=5));
        assert_eq!(parse_range("2..=9"), Ok(2..=9));
        assert!(parse_range("x..9").is_err());
        assert_eq!(parse_rate("1"), Ok(1.0));
        assert!(parse_rate("1.5").is_err());
    }

    #[test]
    fn extra_page_tokens_are_canonical_and_cannot_shadow_the_instagram_token() {
        assert_eq!(extra_page("t", &extra_token("t", 12), 12), Some(12));
        for bad in ["t-13", "t-0", "t-012", "t-+1", "t12", "u-1"] {
            assert_eq!(extra_page("t", bad, 12), None, "{bad}");
        }
        let clash = Config {
            pages: 3,
            ig_token: "sim-page-token-2".into(),
            ..Config::default()
        };
        assert!(clash.validate().is_err());
        let too_many = Config {
            pages: data::MAX_PAGES + 1,
            ..Config::default()
        };
        assert!(too_many.validate().is_err());
    }
}
