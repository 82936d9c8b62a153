//! When to retry and how long to wait: a pure decision from the attempt number and the error.

use crate::core::error::{ErrorKind, GraphApiError};

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay_ms: f64,
    pub max_delay_ms: f64,
    /// A Graph-announced wait longer than this is not waited out: the error is returned with
    /// `retry_after_ms` so the caller can decide.
    pub max_wait_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay_ms: 500.0,
            max_delay_ms: 30_000.0,
            max_wait_ms: 120_000.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    RetryAfter(f64),
    GiveUp,
}

impl RetryPolicy {
    /// The backoff before the next retry, for the client and the sync alike: `base_delay_ms`
    /// doubled per retry already made, capped at `max_delay_ms`, half fixed and half random
    /// (`random` uniform in [0, 1)), which spreads retries of concurrent callers without
    /// collapsing to 0.
    pub fn backoff_ms(&self, retries_done: u32, random: f64) -> f64 {
        // Past 2^64 the cap has long applied; the bound keeps the exponent an i32.
        let doublings = retries_done.min(64) as i32;
        let exponential = (self.base_delay_ms * 2f64.powi(doublings)).min(self.max_delay_ms);
        exponential / 2.0 + exponential / 2.0 * random.clamp(0.0, 1.0)
    }

    /// `retries_done` counts retries already made; `random` is uniform in [0, 1) (jitter).
    pub fn decide(&self, retries_done: u32, err: &GraphApiError, random: f64) -> Decision {
        if retries_done >= self.max_retries || !err.kind.is_retryable() {
            return Decision::GiveUp;
        }
        let jittered = self.backoff_ms(retries_done, random);
        // Throttling lasts longer than a blip: wait at least a second before asking again.
        let floor = if err.kind == ErrorKind::RateLimited {
            1_000.0
        } else {
            0.0
        };
        let announced = err.retry_after_ms.unwrap_or(0) as f64;
        if announced > self.max_wait_ms {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(jittered.max(floor).max(announced))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind, retry_after_ms: Option<u64>) -> GraphApiError {
        GraphApiError {
            retry_after_ms,
            ..GraphApiError::new(kind, "x")
        }
    }

    #[test]
    fn retries_only_what_can_succeed_unchanged() {
        let p = RetryPolicy::default();
        for kind in [
            ErrorKind::Transient,
            ErrorKind::RateLimited,
            ErrorKind::Network,
            ErrorKind::Timeout,
        ] {
            assert!(
                matches!(p.decide(0, &err(kind, None), 0.5), Decision::RetryAfter(_)),
                "{kind:?}"
            );
        }
        for kind in [
            ErrorKind::Auth,
            ErrorKind::Permission,
            ErrorKind::NotFound,
            ErrorKind::InvalidArgument,
            ErrorKind::MessageUnavailable,
            ErrorKind::ReduceData,
            ErrorKind::InvalidResponse,
            ErrorKind::Aborted,
            ErrorKind::Graph,
        ] {
            assert_eq!(
                p.decide(0, &err(kind, None), 0.5),
                Decision::GiveUp,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn backoff_grows_is_jittered_capped_and_bounded_by_max_retries() {
        let p = RetryPolicy::default();
        let e = err(ErrorKind::Transient, None);
        assert_eq!(p.decide(0, &e, 0.0), Decision::RetryAfter(250.0));
        assert_eq!(p.decide(0, &e, 1.0), Decision::RetryAfter(500.0));
        assert_eq!(p.decide(2, &e, 1.0), Decision::RetryAfter(2_000.0));
        let capped = RetryPolicy {
            max_retries: 50,
            ..p.clone()
        };
        assert_eq!(capped.decide(20, &e, 1.0), Decision::RetryAfter(30_000.0));
        assert_eq!(p.decide(4, &e, 0.5), Decision::GiveUp);
    }

    #[test]
    fn graph_announced_wait_is_honoured_unless_too_long() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(0, &err(ErrorKind::RateLimited, None), 0.0),
            Decision::RetryAfter(1_000.0)
        );
        assert_eq!(
            p.decide(0, &err(ErrorKind::RateLimited, Some(60_000)), 0.3),
            Decision::RetryAfter(60_000.0)
        );
        assert_eq!(
            p.decide(0, &err(ErrorKind::RateLimited, Some(3_600_000)), 0.3),
            Decision::GiveUp
        );
    }
}
