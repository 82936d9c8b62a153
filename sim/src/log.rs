//! The request log: one JSON line per Graph request (to `--log FILE`) and the last 10,000 in
//! memory for `/__sim/requests`. Parameter names only, never values, and never a token.

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
    pub account: Option<&'static str>,
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
    pub by_account: BTreeMap<&'static str, u64>,
}

impl Stats {
    pub fn count(&mut self, status: u16, account: Option<&'static str>) {
        self.requests += 1;
        *self.by_status.entry(status).or_default() += 1;
        *self
            .by_account
            .entry(account.unwrap_or("none"))
            .or_default() += 1;
    }
}
