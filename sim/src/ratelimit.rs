//! Per-account token buckets (Meta: 2 calls/s per Page / Instagram account on this API) and
//! the usage headers Graph attaches to responses.

use std::collections::HashMap;

use crate::data::Account;
use crate::ids::Inbox;

/// One bucket per (token's account, inbox): the Page's Messenger inbox, the Page's view of
/// its Instagram inbox and the Instagram account each have their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BucketKey {
    pub account: Account,
    pub inbox: Inbox,
}

/// What the usage headers report for one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub key: BucketKey,
    /// Percent of the bucket in use, 0..=100.
    pub percent: u32,
    /// Graph's `estimated_time_to_regain_access`, in whole minutes (0 for a shorter wait).
    pub regain_minutes: u64,
}

impl Usage {
    pub fn throttled(key: BucketKey, wait_ms: u64) -> Self {
        Self {
            key,
            percent: 100,
            regain_minutes: wait_ms / 60_000,
        }
    }

    /// CPU and total time are reported as fixed fractions of the call count.
    fn times(&self) -> (u32, u32) {
        (self.percent / 4, self.percent / 2)
    }

    /// `X-App-Usage`.
    pub fn app_header(&self) -> String {
        let (cpu, total) = self.times();
        format!(
            r#"{{"call_count":{},"total_cputime":{cpu},"total_time":{total}}}"#,
            self.percent
        )
    }

    /// `X-Business-Use-Case-Usage`, keyed by the business account's ID.
    pub fn buc_header(&self) -> String {
        let (cpu, total) = self.times();
        format!(
            r#"{{"{}":[{{"type":"{}","call_count":{},"total_cputime":{cpu},"total_time":{total},"estimated_time_to_regain_access":{}}}]}}"#,
            self.key.account.id(),
            self.key.inbox.name(),
            self.percent,
            self.regain_minutes
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last_ms: i64,
}

#[derive(Debug, Default)]
pub struct Limiter {
    buckets: HashMap<BucketKey, Bucket>,
}

impl Limiter {
    /// Takes one call from `key`'s bucket (capacity = `rate`, refilled at `rate` per second).
    /// `Err` carries the usage to report with the rate-limit error. `rate` 0 means no limit.
    pub fn take(&mut self, key: BucketKey, rate: f64, now_ms: i64) -> Result<Usage, Usage> {
        if rate <= 0.0 {
            return Ok(Usage {
                key,
                percent: 0,
                regain_minutes: 0,
            });
        }
        let capacity = rate.max(1.0);
        let b = self.buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            last_ms: now_ms,
        });
        let elapsed = (now_ms - b.last_ms).max(0) as f64 / 1000.0;
        b.tokens = (b.tokens + elapsed * rate).min(capacity);
        b.last_ms = b.last_ms.max(now_ms);
        if b.tokens < 1.0 {
            let wait_ms = ((1.0 - b.tokens) / rate * 1000.0).ceil() as u64;
            return Err(Usage::throttled(key, wait_ms));
        }
        b.tokens -= 1.0;
        Ok(Usage {
            key,
            percent: (((capacity - b.tokens) / capacity) * 100.0)
                .round()
                .clamp(0.0, 100.0) as u32,
            regain_minutes: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: BucketKey = BucketKey {
        account: Account::Page(0),
        inbox: Inbox::Messenger,
    };

    #[test]
    fn bucket_holds_rate_calls_and_refills_over_time() {
        let mut l = Limiter::default();
        assert_eq!(l.take(KEY, 2.0, 0).map(|u| u.percent), Ok(50));
        assert_eq!(l.take(KEY, 2.0, 0).map(|u| u.percent), Ok(100));
        assert!(l.take(KEY, 2.0, 0).is_err());
        assert!(l.take(KEY, 2.0, 499).is_err());
        assert!(l.take(KEY, 2.0, 500).is_ok());
        let other = BucketKey {
            inbox: Inbox::Instagram,
            ..KEY
        };
        assert!(l.take(other, 2.0, 500).is_ok());
        assert!(l.take(KEY, 0.0, 500).is_ok());
    }

    #[test]
    fn slow_refill_reports_minutes_to_regain_access() {
        let mut l = Limiter::default();
        assert!(l.take(KEY, 0.005, 0).is_ok());
        let u = l.take(KEY, 0.005, 0).unwrap_err();
        assert_eq!(u.regain_minutes, 3);
        assert!(u
            .buc_header()
            .contains(r#""estimated_time_to_regain_access":3"#));
    }
}
