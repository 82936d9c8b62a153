//! The `graph-sim` command line.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use clap::Parser;

use crate::config::{Config, Faults, Settings};
use crate::data;

/// A local stand-in for Meta's Graph API Conversations endpoints (Messenger and Instagram).
///
/// Binds 127.0.0.1 and prints `listening on http://127.0.0.1:PORT` as the first line on stdout.
/// Accounts: Page 106000000000001 "Kitty Café" (token sim-page-token; platform=messenger or
/// platform=instagram) and Instagram account 17841400000000001 "kittycafe" (token
/// sim-ig-token). `GET /__sim/accounts` lists them; see sim/README.md for every endpoint.
#[derive(Debug, Parser)]
#[command(name = "graph-sim", version)]
pub struct Cli {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Seed for all data, IDs and injected faults: the same seed gives the same bytes.
    #[arg(long, default_value_t = Config::default().seed)]
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

    /// Calls per second per account inbox (token bucket, capacity = rate); 0 turns limits off.
    #[arg(long, value_name = "N", default_value_t = Settings::default().rate)]
    pub rate: f64,

    /// Answer throttling with Messenger's business-use-case error 80006 instead of 613.
    #[arg(long)]
    pub buc_mode: bool,

    /// Largest page size; larger `limit` values are clamped to it.
    #[arg(long, value_name = "N", default_value_t = Settings::default().max_limit)]
    pub max_limit: u32,

    /// `limit` × nested `messages` limit above N answers error 1 "reduce the amount of data".
    #[arg(long, value_name = "N", default_value_t = Settings::default().reduce_data_threshold)]
    pub reduce_data_threshold: u64,

    /// Threads in the Page's Messenger inbox.
    #[arg(long, value_name = "N", default_value_t = Config::default().messenger_threads)]
    pub messenger_threads: u32,

    /// Threads in the Instagram inbox.
    #[arg(long, value_name = "N", default_value_t = Config::default().instagram_threads)]
    pub instagram_threads: u32,

    /// Seeded messages per thread: MIN..MAX or N.
    #[arg(long, value_name = "MIN..MAX", default_value = "1..45", value_parser = parse_range)]
    pub messages: RangeInclusive<u32>,

    /// How many of a thread's newest messages have details (older ones read as deleted).
    #[arg(long, value_name = "N", default_value_t = Config::default().detail_window)]
    pub detail_window: u32,

    /// Access token of the Page.
    #[arg(long, value_name = "TOKEN", default_value = data::PAGE_TOKEN)]
    pub page_token: String,

    /// Access token of the Instagram account.
    #[arg(long, value_name = "TOKEN", default_value = data::IG_TOKEN)]
    pub ig_token: String,

    /// Share of calls answered with a transient error (HTTP 500 code 2, or a bare 503).
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_transient: f64,

    /// Share of calls that start a throttle burst (see --throttle-burst).
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_throttle: f64,

    /// Consecutive rate-limit answers in one throttle burst.
    #[arg(long, value_name = "K", default_value_t = Faults::default().throttle_burst)]
    pub throttle_burst: u32,

    /// Share of successful calls answered with HTTP 200 and a body that is not JSON.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_malformed: f64,

    /// Share of successful calls whose JSON body is cut short.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_truncated: f64,

    /// Share of calls delayed by --slow-ms.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_slow: f64,

    /// Delay of a slow call, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = Faults::default().slow_ms)]
    pub slow_ms: u64,

    /// Share of calls whose connection is closed without an answer or mid-body.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_drop: f64,
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

impl Cli {
    pub fn into_config(self) -> Config {
        Config {
            seed: self.seed,
            www: self.www,
            log: self.log,
            app_secret: self.app_secret,
            page_token: self.page_token,
            ig_token: self.ig_token,
            messenger_threads: self.messenger_threads,
            instagram_threads: self.instagram_threads,
            messages: self.messages,
            detail_window: self.detail_window,
            rate: self.rate,
            buc_mode: self.buc_mode,
            max_limit: self.max_limit,
            reduce_data_threshold: self.reduce_data_threshold,
            faults: Faults {
                transient: self.fault_transient,
                throttle: self.fault_throttle,
                throttle_burst: self.throttle_burst,
                malformed: self.fault_malformed,
                truncated: self.fault_truncated,
                slow: self.fault_slow,
                slow_ms: self.slow_ms,
                drop: self.fault_drop,
            },
            ..Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_config_defaults() {
        let from_cli = Cli::parse_from(["graph-sim"]).into_config();
        let d = Config::default();
        assert_eq!(from_cli.settings(), d.settings());
        assert_eq!(from_cli.messages, d.messages);
        assert_eq!(
            (
                from_cli.seed,
                from_cli.messenger_threads,
                from_cli.instagram_threads
            ),
            (d.seed, d.messenger_threads, d.instagram_threads)
        );
    }

    #[test]
    fn parses_ranges_and_fault_rates() {
        let c = Cli::parse_from([
            "graph-sim",
            "--messages",
            "5",
            "--fault-drop",
            "1",
            "--rate",
            "0",
        ]);
        assert_eq!(c.messages, 5..=5);
        assert_eq!(parse_range("2..=9"), Ok(2..=9));
        assert!(parse_range("x..9").is_err());
        let c = c.into_config();
        assert_eq!((c.faults.drop, c.rate), (1.0, 0.0));
        assert!(Cli::try_parse_from(["graph-sim", "--fault-slow", "1.5"]).is_err());
    }
}
