//! The request log: one JSON line per Graph request (to `--log FILE`) and the last 10,000 in
//! memory for `/__sim/requests`. Parameter names only, never values, and never a token.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, LineWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::auth::TokenSource;

pub const KEEP: usize = 10_000;

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub method: String,
    pub path: String,
    pub query_keys: Vec<String>,
    pub token_source: TokenSource,
    /// 0 when the connection was dropped without an answer.
    pub status: u16,
    pub account: Option<Cow<'static, str>>,
    pub ts_ms: i64,
    /// The `after` (else `before`) cursor the call pages from, so retries of one page can be
    /// counted. A cursor is not a secret: Graph puts it in every `next` URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Set when the call was refused as over-heavy or for nested details: the style's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heavy: Option<&'static str>,
}

#[derive(Debug)]
pub struct RequestLog {
    recent: VecDeque<Entry>,
    file: Option<LineWriter<File>>,
}

impl RequestLog {
    pub fn open(path: Option<&Path>) -> io::Result<Self> {
        let file = match path {
            Some(p) => Some(LineWriter::new(
                OpenOptions::new().create(true).append(true).open(p)?,
            )),
            None => None,
        };
        Ok(Self {
            recent: VecDeque::new(),
            file,
        })
    }

    pub fn record(&mut self, entry: Entry) {
        if let Some(f) = &mut self.file {
            if let Ok(mut line) = serde_json::to_vec(&entry) {
                line.push(b'\n');
                if let Err(e) = f.write_all(&line) {
                    eprintln!("graph-sim: cannot write the request log: {e}");
                }
            }
        }
        if self.recent.len() == KEEP {
            self.recent.pop_front();
        }
        self.recent.push_back(entry);
    }

    pub fn recent(&self) -> &VecDeque<Entry> {
        &self.recent
    }

    pub fn clear(&mut self) {
        self.recent.clear();
    }
}

/// Counters served by `/__sim/stats`.
#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub requests: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub throttled: u64,
    pub faults: BTreeMap<&'static str, u64>,
    /// Calls refused as over-heavy or for nested details, by style.
    pub heavy: BTreeMap<&'static str, u64>,
    pub by_account: BTreeMap<Cow<'static, str>, u64>,
    /// Per account that was called: how its calls were paced, so a test can check a client
    /// never went faster than the rate limit allows.
    pub pacing: BTreeMap<Cow<'static, str>, Pacing>,
}

#[derive(Debug, Default, Serialize)]
pub struct Pacing {
    /// Calls that took a token from one of the account's buckets (every call that reached the
    /// rate-limit step when limits are off).
    pub served: u64,
    /// Rate-limit answers: the bucket was empty, or a throttle fault.
    pub throttled: u64,
    /// The shortest time between two consecutive served calls, by the simulator's clock;
    /// null until two were served.
    pub min_gap_ms: Option<i64>,
    #[serde(skip)]
    last_ms: Option<i64>,
}

impl Stats {
    pub fn count(&mut self, status: u16, account: Option<Cow<'static, str>>) {
        self.requests += 1;
        *self.by_status.entry(status).or_default() += 1;
        *self
            .by_account
            .entry(account.unwrap_or(Cow::Borrowed("none")))
            .or_default() += 1;
    }

    /// Books a call the account's bucket served at `now_ms`.
    pub fn served(&mut self, account: Cow<'static, str>, now_ms: i64) {
        let p = self.pacing.entry(account).or_default();
        p.served += 1;
        if let Some(last) = p.last_ms {
            let gap = now_ms - last;
            p.min_gap_ms = Some(p.min_gap_ms.map_or(gap, |g| g.min(gap)));
        }
        p.last_ms = Some(now_ms);
    }

    pub fn throttled(&mut self, account: Option<Cow<'static, str>>) {
        self.throttled += 1;
        if let Some(a) = account {
            self.pacing.entry(a).or_default().throttled += 1;
        }
    }
}
