//! The Graph request pipeline: authenticate, plan this call's faults, route and answer it,
//! spoil or drop the answer as planned, then count and log it.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;
use bytes::Bytes;

use crate::auth;
use crate::config::Settings;
use crate::data::Account;
use crate::errors::GraphError;
use crate::faults::{self, Fault};
use crate::log::Entry;
use crate::query::Query;
use crate::ratelimit::{BucketKey, Usage};
use crate::reply::{DropKind, Reply};
use crate::route::route;
use crate::state::Sim;

/// The version answered for unversioned paths.
pub const DEFAULT_VERSION: &str = "v26.0";

pub async fn handle(State(sim): State<Arc<Sim>>, req: Request) -> Response {
    let (parts, _body) = req.into_parts();
    let query = Query::parse(parts.uri.query());
    let path = parts.uri.path();
    let (token, source) = auth::token(&parts.headers, &query);
    let account = token.and_then(|t| sim.account_for(t));
    let settings = sim.settings();
    let (plan, trace) = {
        let mut rt = sim.runtime();
        let plan = rt.faults.plan(sim.seed, account, &settings.faults);
        (plan, rt.next_trace(sim.seed))
    };
    if let Some(ms) = plan.slow_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let (version, segments) = split_version(path);

    let mut reply = match (plan.fault, account) {
        (Some(Fault::DropConnection), _) => Reply::dropped(),
        (Some(Fault::Transient(kind)), _) => Reply::transient(kind, &trace),
        (Some(Fault::Throttle), Some(a)) => {
            let key = BucketKey {
                account: a,
                inbox: a.default_inbox(),
            };
            let mut r = Reply::error(&GraphError::rate_limited(settings.buc_mode), &trace);
            r.usage = Some(Usage::throttled(key, 0));
            r
        }
        _ => {
            let g = GraphRequest {
                method: &parts.method,
                path,
                version,
                segments: &segments,
                query: &query,
                token,
                account,
                origin: origin(&parts.headers, &sim.authority),
            };
            serve(&sim, &g, &settings, &trace)
        }
    };
    // Body faults spoil only a successful answer, like a proxy failing mid-way.
    let applied = match plan.fault {
        Some(Fault::Malformed(pick)) if reply.status == 200 => {
            reply.body = Bytes::from_static(faults::malformed_body(pick).as_bytes());
            plan.fault
        }
        Some(Fault::Truncated(pick)) if reply.status == 200 => {
            reply.body = Bytes::copy_from_slice(faults::truncate(&reply.body, pick));
            plan.fault
        }
        // A call already answered by closing the connection (a heavy `drop` or `timeout`)
        // has no body to cut.
        Some(Fault::DropMidBody) if reply.drop.is_none() => {
            reply.drop = Some(DropKind::MidBody);
            plan.fault
        }
        Some(Fault::Malformed(_) | Fault::Truncated(_) | Fault::DropMidBody) => None,
        other => other,
    };

    let status = match reply.drop {
        Some(DropKind::Now) => 0,
        _ => reply.status,
    };
    let account_id = account.map(Account::id);
    {
        let mut rt = sim.runtime();
        rt.stats.count(status, account_id.clone());
        if reply.throttled {
            rt.stats.throttled(account_id.clone());
        }
        let kinds = applied
            .map(Fault::kind)
            .into_iter()
            .chain(plan.slow_ms.map(|_| "slow"));
        for kind in kinds {
            *rt.stats.faults.entry(kind).or_default() += 1;
        }
        if let Some(style) = reply.heavy {
            *rt.stats.heavy.entry(style).or_default() += 1;
        }
    }
    sim.log().record(Entry {
        method: parts.method.to_string(),
        path: path.to_owned(),
        query_keys: query.keys(),
        token_source: source,
        status,
        account: account_id,
        ts_ms: sim.clock.now_ms(),
        cursor: ["after", "before"]
            .into_iter()
            .find_map(|k| query.get(k).filter(|c| !c.is_empty()))
            .map(str::to_owned),
        heavy: reply.heavy,
    });
    // Counted and logged first: a test sees a held call while its client is still waiting.
    // The wait runs in this connection's task, so other calls and shutdown go on.
    if let Some(ms) = reply.hold_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    reply.into_response(version.unwrap_or(DEFAULT_VERSION), &trace)
}

/// What routing needs to know about one Graph request.
pub struct GraphRequest<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub version: Option<&'a str>,
    pub segments: &'a [&'a str],
    pub query: &'a Query,
    pub token: Option<&'a str>,
    pub account: Option<Account>,
    pub origin: String,
}

/// `/v26.0/a/b` → (`Some("v26.0")`, `["a", "b"]`); any `vNN.N` is accepted.
fn split_version(path: &str) -> (Option<&str>, Vec<&str>) {
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_version = |s: &str| {
        s.strip_prefix('v')
            .and_then(|r| r.split_once('.'))
            .is_some_and(|(major, minor)| {
                [major, minor]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    let version = segments.first().copied().filter(|s| is_version(s));
    if version.is_some() {
        segments.remove(0);
    }
    (version, segments)
}

/// `http://<Host>` for absolute paging URLs, falling back to the listening address when the
/// Host header is missing or is not a plain host[:port].
fn origin(headers: &HeaderMap, fallback: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        });
    format!("http://{}", host.unwrap_or(fallback))
}

fn serve(sim: &Sim, g: &GraphRequest, settings: &Settings, trace: &str) -> Reply {
    let mut usage = None;
    let mut reply = match route(sim, g, settings, &mut usage) {
        Ok(body) => Reply::ok(body),
        Err(f) => Reply::failure(&f, trace),
    };
    reply.usage = usage;
    reply
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn versions_are_split_off() {
        assert_eq!(
            split_version("/v26.0/me/conversations"),
            (Some("v26.0"), vec!["me", "conversations"])
        );
        assert_eq!(split_version("/me"), (None, vec!["me"]));
        assert_eq!(split_version("/v2/me"), (None, vec!["v2", "me"]));
        assert_eq!(split_version("//v19.0//x/"), (Some("v19.0"), vec!["x"]));
    }

    #[test]
    fn origin_rejects_odd_hosts() {
        let mut h = HeaderMap::new();
        assert_eq!(origin(&h, "127.0.0.1:9"), "http://127.0.0.1:9");
        h.insert(header::HOST, HeaderValue::from_static("localhost:8080"));
        assert_eq!(origin(&h, "x"), "http://localhost:8080");
        h.insert(header::HOST, HeaderValue::from_static("evil.com/path?"));
        assert_eq!(origin(&h, "x"), "http://x");
    }
}
