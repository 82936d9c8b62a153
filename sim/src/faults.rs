//! Deterministic fault injection.
//!
//! Whether request `n` of an account gets a fault is decided by `hash(seed, account, n,
//! kind)`, so the same seed and the same sequence of requests always meet the same faults.

use std::collections::HashMap;

use crate::config::Faults;
use crate::data::Account;
use crate::ids::{hash, unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    /// HTTP 500 with Graph's code 2 envelope.
    Json,
    /// HTTP 503 with an HTML page, as a load balancer would answer.
    Html,
    /// HTTP 503 with no body.
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without answering.
    DropConnection,
    /// Send the headers and part of the body, then close the connection.
    DropMidBody,
    Transient(Transient),
    /// A rate-limit error (613, or 80006 in business-use-case mode), as part of a burst.
    Throttle,
    /// HTTP 200 with a body that is not JSON; the value picks which one.
    Malformed(u64),
    /// The real body cut short; the value picks where.
    Truncated(u64),
}

impl Fault {
    /// The name `/__sim/stats` counts this fault under.
    pub fn kind(self) -> &'static str {
        match self {
            Fault::DropConnection | Fault::DropMidBody => "drop",
            Fault::Transient(_) => "transient",
            Fault::Throttle => "throttle",
            Fault::Malformed(_) => "malformed",
            Fault::Truncated(_) => "truncated",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Plan {
    pub slow_ms: Option<u64>,
    pub fault: Option<Fault>,
}

#[derive(Debug, Default)]
pub struct FaultState {
    /// Graph requests seen per account (`None`: no valid token).
    counters: HashMap<Option<Account>, u64>,
    /// Throttled answers still owed by a running burst.
    bursts: HashMap<Account, u32>,
}

const SLOW: u64 = 1;
const DROP: u64 = 2;
const TRANSIENT: u64 = 3;
const THROTTLE: u64 = 4;
const MALFORMED: u64 = 5;
const TRUNCATED: u64 = 6;
const VARIANT: u64 = 7;

impl FaultState {
    /// Decides the faults of the next request of `account`.
    pub fn plan(&mut self, seed: u64, account: Option<Account>, f: &Faults) -> Plan {
        let counter = self.counters.entry(account).or_default();
        let n = *counter;
        *counter += 1;
        let acct = account.map_or(0, |a| a.ordinal() + 1);
        let h = |kind: u64| hash(&[seed, acct, n, kind]);
        let roll = |kind: u64, rate: f64| rate > 0.0 && unit(h(kind)) < rate;

        let slow_ms = roll(SLOW, f.slow).then_some(f.slow_ms);
        let burst = account.and_then(|a| self.bursts.get_mut(&a).filter(|left| **left > 0));
        let fault = if let Some(left) = burst {
            *left -= 1;
            Some(Fault::Throttle)
        } else if roll(DROP, f.drop) {
            Some(if h(VARIANT) % 2 == 0 {
                Fault::DropConnection
            } else {
                Fault::DropMidBody
            })
        } else if roll(TRANSIENT, f.transient) {
            Some(Fault::Transient(match h(VARIANT) % 10 {
                0 => Transient::Html,
                1 => Transient::Empty,
                _ => Transient::Json,
            }))
        } else if let Some(a) = account.filter(|_| roll(THROTTLE, f.throttle)) {
            self.bursts.insert(a, f.throttle_burst.saturating_sub(1));
            Some(Fault::Throttle)
        } else if roll(MALFORMED, f.malformed) {
            Some(Fault::Malformed(h(VARIANT)))
        } else if roll(TRUNCATED, f.truncated) {
            Some(Fault::Truncated(h(VARIANT)))
        } else {
            None
        };
        Plan { slow_ms, fault }
    }
}

const MALFORMED_BODIES: &[&str] = &[
    r#"{"data": ["#,
    "<html><head><title>Error</title></head><body>Bad Gateway</body></html>",
    r#"{"data": [{"id": "t_1", "updated_time": }]}"#,
    "",
    "null garbage",
];

pub fn malformed_body(pick: u64) -> &'static str {
    MALFORMED_BODIES[(pick % MALFORMED_BODIES.len() as u64) as usize]
}

/// A strict, non-empty prefix of `body` (or `body` itself when it is too short to cut).
pub fn truncate(body: &[u8], pick: u64) -> &[u8] {
    match body.len() {
        0 | 1 => body,
        len => &body[..1 + (pick % (len as u64 - 1)) as usize],
    }
}

pub const HTML_503: &str = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>\
<body><h1>Sorry, something went wrong.</h1><p>We're working on it and we'll get it fixed as soon as we can.</p></body></html>";

pub const HTML_502: &str = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
<body><h1>Bad Gateway</h1><p>The server returned an invalid or incomplete response.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults_and_bursts_run_their_length() {
        let f = Faults {
            throttle: 0.3,
            throttle_burst: 4,
            transient: 0.2,
            ..Faults::default()
        };
        let run = |seed| {
            let mut s = FaultState::default();
            (0..200)
                .map(|_| s.plan(seed, Some(Account::Page(0)), &f).fault)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
        let plans = run(1);
        // Every burst is at least `throttle_burst` long.
        let mut i = 0;
        while i < plans.len() {
            if plans[i] == Some(Fault::Throttle) {
                let len = plans[i..]
                    .iter()
                    .take_while(|p| **p == Some(Fault::Throttle))
                    .count();
                assert!(len >= 4 || i + len == plans.len(), "burst of {len} at {i}");
                i += len;
            } else {
                i += 1;
            }
        }
    }

    #[test]
    fn truncation_keeps_a_strict_prefix() {
        for pick in 0..50 {
            let cut = truncate(b"{\"data\":[]}", pick);
            assert!(!cut.is_empty() && cut.len() < 11);
        }
    }
}
