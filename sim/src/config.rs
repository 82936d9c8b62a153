//! Start-up configuration and the settings that can change at runtime (`/__sim/config`).

use std::io;
use std::ops::RangeInclusive;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::data;

/// Everything the simulator can be told at start-up. Build it with struct-update syntax:
/// `Config { rate: 0.0, ..Config::default() }`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Makes all data, IDs, trace IDs and injected faults deterministic.
    pub seed: u64,
    /// Also serve static files from this folder at `/`.
    pub www: Option<PathBuf>,
    /// Append one JSON line per Graph request to this file.
    pub log: Option<PathBuf>,
    /// When set, every Graph call needs a valid `appsecret_proof`.
    pub app_secret: Option<String>,
    pub page_token: String,
    pub ig_token: String,
    pub messenger_threads: u32,
    pub instagram_threads: u32,
    /// Seeded messages per thread.
    pub messages: RangeInclusive<u32>,
    /// How many of a thread's newest messages have details; older ones read as deleted.
    pub detail_window: u32,
    pub rate: f64,
    pub buc_mode: bool,
    pub max_limit: u32,
    pub reduce_data_threshold: u64,
    pub faults: Faults,
    pub clock: Clock,
}

impl Default for Config {
    fn default() -> Self {
        let s = Settings::default();
        Self {
            seed: 42,
            www: None,
            log: None,
            app_secret: None,
            page_token: data::PAGE_TOKEN.to_owned(),
            ig_token: data::IG_TOKEN.to_owned(),
            messenger_threads: 120,
            instagram_threads: 80,
            messages: 1..=45,
            detail_window: 20,
            rate: s.rate,
            buc_mode: s.buc_mode,
            max_limit: s.max_limit,
            reduce_data_threshold: s.reduce_data_threshold,
            faults: s.faults,
            clock: Clock::system(),
        }
    }
}

pub const MAX_THREADS: u32 = 10_000_000;
pub const MAX_MESSAGES: u32 = 1_000_000;

impl Config {
    pub fn settings(&self) -> Settings {
        Settings {
            rate: self.rate,
            buc_mode: self.buc_mode,
            max_limit: self.max_limit,
            reduce_data_threshold: self.reduce_data_threshold,
            faults: self.faults.clone(),
        }
    }

    pub fn validate(&self) -> io::Result<()> {
        let bad = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        let (lo, hi) = (*self.messages.start(), *self.messages.end());
        if lo == 0 || lo > hi || hi > MAX_MESSAGES {
            return bad(format!(
                "messages per thread must be a range within 1..={MAX_MESSAGES}, got {lo}..{hi}"
            ));
        }
        for (what, n) in [
            ("messenger threads", self.messenger_threads),
            ("instagram threads", self.instagram_threads),
        ] {
            if n > MAX_THREADS {
                return bad(format!("{what} must be at most {MAX_THREADS}, got {n}"));
            }
        }
        if self.page_token.is_empty()
            || self.ig_token.is_empty()
            || self.page_token == self.ig_token
        {
            return bad("the two account tokens must be non-empty and different".into());
        }
        self.settings().validate().or_else(bad)
    }
}

/// The settings `/__sim/config` can read and change while the simulator runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Calls per second per account inbox (token bucket with capacity = rate); 0 turns it off.
    pub rate: f64,
    /// Answer throttling with Messenger's business-use-case error 80006 instead of 613.
    pub buc_mode: bool,
    /// `limit` values above this are silently clamped.
    pub max_limit: u32,
    /// `limit` × nested `messages` limit above this answers error 1 "reduce the amount of data".
    pub reduce_data_threshold: u64,
    pub faults: Faults,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rate: 2.0,
            buc_mode: false,
            max_limit: 100,
            reduce_data_threshold: 5_000,
            faults: Faults::default(),
        }
    }
}

/// Fault rates, each the probability (0..=1) that a Graph request gets that fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Faults {
    pub transient: f64,
    pub throttle: f64,
    /// How many consecutive calls a throttle burst answers with a rate-limit error.
    pub throttle_burst: u32,
    pub malformed: f64,
    pub truncated: f64,
    pub slow: f64,
    pub slow_ms: u64,
    pub drop: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            transient: 0.0,
            throttle: 0.0,
            throttle_burst: 3,
            malformed: 0.0,
            truncated: 0.0,
            slow: 0.0,
            slow_ms: 2_000,
            drop: 0.0,
        }
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
    pub faults: Option<FaultsPatch>,
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
