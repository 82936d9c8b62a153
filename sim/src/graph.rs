//! The Graph endpoints. One handler authenticates, decides faults, resolves the path to an
//! object, applies the rate limit and renders; every answer is logged and counted.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;

use crate::auth;
use crate::config::Settings;
use crate::data::{Account, Folder};
use crate::errors::GraphError;
use crate::faults::{self, Fault, Transient};
use crate::fields::{self, Field};
use crate::ids::{Inbox, MessageRef, ThreadRef};
use crate::json::{Json, Obj};
use crate::log::Entry;
use crate::query::Query;
use crate::ratelimit::{BucketKey, Usage};
use crate::render::{self, Cursor, Cx, LinkTo, Links, Node, Page};
use crate::state::Sim;
use crate::store::{Overlay, Pos, ThreadView};

/// The version answered for unversioned paths.
pub const DEFAULT_VERSION: &str = "v26.0";

/// Marks a response the server must not send: it closes the connection instead.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

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
        Some(Fault::DropMidBody) => {
            reply.drop = Some(DropKind::MidBody);
            plan.fault
        }
        Some(Fault::Malformed(_) | Fault::Truncated(_)) => None,
        other => other,
    };

    let status = match reply.drop {
        Some(DropKind::Now) => 0,
        _ => reply.status,
    };
    let account_id = account.map(Account::id);
    {
        let mut rt = sim.runtime();
        rt.stats.count(status, account_id);
        if reply.throttled {
            rt.stats.throttled += 1;
        }
        let kinds = applied
            .map(Fault::kind)
            .into_iter()
            .chain(plan.slow_ms.map(|_| "slow"));
        for kind in kinds {
            *rt.stats.faults.entry(kind).or_default() += 1;
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
    });
    reply.into_response(version.unwrap_or(DEFAULT_VERSION), &trace)
}

struct GraphRequest<'a> {
    method: &'a Method,
    path: &'a str,
    version: Option<&'a str>,
    segments: &'a [&'a str],
    query: &'a Query,
    token: Option<&'a str>,
    account: Option<Account>,
    origin: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DropKind {
    Now,
    MidBody,
}

/// A Graph answer before it becomes an HTTP response.
struct Reply {
    status: u16,
    body: Bytes,
    content_type: Option<&'static str>,
    usage: Option<Usage>,
    challenge: Option<String>,
    throttled: bool,
    drop: Option<DropKind>,
}

const JSON: &str = "application/json; charset=UTF-8";

impl Reply {
    fn ok(body: Obj) -> Self {
        Self {
            status: 200,
            body: body.to_bytes().into(),
            content_type: Some(JSON),
            usage: None,
            challenge: None,
            throttled: false,
            drop: None,
        }
    }

    fn error(e: &GraphError, trace: &str) -> Self {
        Self {
            status: e.status,
            challenge: e.www_authenticate(),
            throttled: matches!(e.code, 613 | 80006),
            ..Self::ok(e.body(trace))
        }
    }

    fn transient(kind: Transient, trace: &str) -> Self {
        let bare = |body: &'static str, content_type| Self {
            status: 503,
            body: Bytes::from_static(body.as_bytes()),
            content_type,
            ..Self::ok(Obj::new())
        };
        match kind {
            Transient::Json => Self::error(&GraphError::transient(), trace),
            Transient::Html => bare(faults::HTML_503, Some("text/html; charset=utf-8")),
            Transient::Empty => bare("", None),
        }
    }

    fn dropped() -> Self {
        Self {
            drop: Some(DropKind::Now),
            ..Self::ok(Obj::new())
        }
    }

    fn into_response(self, version: &str, trace: &str) -> Response {
        if self.drop == Some(DropKind::Now) {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(DropConnection);
            return r;
        }
        let len = self.body.len();
        let body = match self.drop {
            Some(DropKind::MidBody) => {
                let half = self.body.slice(..len / 2);
                let chunks: [io::Result<Bytes>; 2] = [
                    Ok(half),
                    Err(io::Error::new(io::ErrorKind::ConnectionAborted, "dropped")),
                ];
                Body::from_stream(futures_util::stream::iter(chunks))
            }
            _ => Body::from(self.body),
        };
        let mut r = Response::new(body);
        *r.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let h = r.headers_mut();
        let mut put = |name: HeaderName, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        };
        if let Some(ct) = self.content_type {
            put(header::CONTENT_TYPE, ct);
        }
        put(HeaderName::from_static("facebook-api-version"), version);
        put(HeaderName::from_static("x-fb-trace-id"), trace);
        put(
            header::CACHE_CONTROL,
            "private, no-cache, no-store, must-revalidate",
        );
        if let Some(u) = &self.usage {
            put(HeaderName::from_static("x-app-usage"), &u.app_header());
            put(
                HeaderName::from_static("x-business-use-case-usage"),
                &u.buc_header(),
            );
        }
        if let Some(c) = &self.challenge {
            put(header::WWW_AUTHENTICATE, c);
        }
        if self.drop == Some(DropKind::MidBody) {
            put(header::CONTENT_LENGTH, &len.to_string());
        }
        r
    }
}

fn serve(sim: &Sim, g: &GraphRequest, settings: &Settings, trace: &str) -> Reply {
    let mut usage = None;
    let mut reply = match route(sim, g, settings, &mut usage) {
        Ok(body) => Reply::ok(body),
        Err(e) => Reply::error(&e, trace),
    };
    reply.usage = usage;
    reply
}

/// What a path names.
#[derive(Debug, Clone, Copy)]
enum Target {
    Account(Account),
    Conversations(Account, Inbox),
    Thread(ThreadRef),
    Messages(ThreadRef),
    Message(MessageRef),
}

impl Target {
    /// The inbox whose rate-limit bucket the call draws from.
    fn inbox(self) -> Inbox {
        match self {
            Target::Account(a) => a.default_inbox(),
            Target::Conversations(_, inbox) => inbox,
            Target::Thread(t) | Target::Messages(t) => t.inbox,
            Target::Message(m) => m.thread.inbox,
        }
    }

    fn node(self) -> Node {
        match self {
            Target::Account(a) | Target::Conversations(a, _) => Node::Account(a),
            Target::Thread(_) | Target::Messages(_) => Node::Thread,
            Target::Message(_) => Node::Message,
        }
    }
}

fn route(
    sim: &Sim,
    g: &GraphRequest,
    settings: &Settings,
    usage: &mut Option<Usage>,
) -> Result<Obj, GraphError> {
    let token = g.token.ok_or_else(GraphError::missing_token)?;
    let account = g.account.ok_or_else(GraphError::invalid_token)?;
    if let Some(secret) = &sim.app_secret {
        auth::check_proof(secret, token, g.query, sim.clock.now_secs())?;
    }
    let first = g.segments.first().copied().unwrap_or_default();
    if g.method != Method::GET {
        return Err(GraphError::unsupported(g.method.as_str(), first));
    }
    let overlay = sim.overlay();
    let target = resolve(sim, &overlay, account, g.segments, g.query)?;

    let key = BucketKey {
        account,
        inbox: target.inbox(),
    };
    let taken = sim
        .runtime()
        .limiter
        .take(key, settings.rate, sim.clock.now_ms());
    let (Ok(u) | Err(u)) = taken;
    *usage = Some(u);
    if taken.is_err() {
        return Err(GraphError::rate_limited(settings.buc_mode));
    }

    let prefix = g.version.map(|v| format!("/{v}")).unwrap_or_default();
    let links = Links {
        origin: g.origin.clone(),
        prefix: &prefix,
        path: g.path,
        token,
        query: g.query,
    };
    let cx = Cx {
        ds: &sim.ds,
        overlay: &overlay,
        detail_window: sim.detail_window,
        max_limit: settings.max_limit,
        links: &links,
    };
    execute(&cx, target, g.query, settings)
}

fn resolve(
    sim: &Sim,
    overlay: &Overlay,
    by: Account,
    segments: &[&str],
    q: &Query,
) -> Result<Target, GraphError> {
    let [id, rest @ ..] = segments else {
        return Err(GraphError::unsupported("get", ""));
    };
    if let [_, extra @ ..] = rest {
        if !extra.is_empty() {
            return Err(GraphError::syntax(format!(
                "Unknown path components: /{}",
                extra.join("/")
            )));
        }
    }
    let object = lookup(sim, overlay, by, id).ok_or_else(|| GraphError::unsupported("get", id))?;
    match (object, rest.first().copied()) {
        (o, None) => Ok(o),
        (Target::Account(a), Some("conversations")) => {
            Ok(Target::Conversations(a, platform(a, q)?))
        }
        (Target::Thread(t), Some("messages")) => Ok(Target::Messages(t)),
        (o, Some(edge)) => Err(GraphError::nonexisting_field(edge, o.node().type_name())),
    }
}

/// The object an ID names, if the token's account may read it.
fn lookup(sim: &Sim, overlay: &Overlay, by: Account, id: &str) -> Option<Target> {
    let ds = &sim.ds;
    let target = if id == "me" {
        Target::Account(by)
    } else if let Some(a) = Account::from_id(id) {
        Target::Account(a)
    } else if let Some(t) = ds.codec.parse_thread(id).filter(|t| ds.contains(*t)) {
        Target::Thread(t)
    } else {
        let m = ds
            .codec
            .parse_message(id)
            .filter(|m| ds.contains(m.thread) && m.index < overlay.view(ds, m.thread).total())?;
        Target::Message(m)
    };
    let allowed = match target {
        Target::Account(a) => a == by,
        other => by.inboxes().contains(&other.inbox()),
    };
    allowed.then_some(target)
}

/// `platform`, case-insensitive; without it, the account's own inbox.
fn platform(account: Account, q: &Query) -> Result<Inbox, GraphError> {
    let Some(p) = q.get("platform").filter(|p| !p.is_empty()) else {
        return Ok(account.default_inbox());
    };
    let allowed = account.inboxes();
    allowed
        .iter()
        .copied()
        .find(|i| i.name().eq_ignore_ascii_case(p))
        .ok_or_else(|| {
            let names: Vec<String> = allowed.iter().map(|i| i.name().to_uppercase()).collect();
            GraphError::invalid_param(format!(
                "Param platform must be one of {{{}}} - got \"{p}\"",
                names.join(", ")
            ))
        })
}

fn fields_param(q: &Query, default: &[&str], node: Node) -> Result<Vec<Field>, GraphError> {
    let parsed = match q.get("fields") {
        Some(s) => fields::parse(s).map_err(|e| GraphError::syntax(e.message(s)))?,
        None => Vec::new(),
    };
    let fields = if parsed.is_empty() {
        fields::plain(default)
    } else {
        parsed
    };
    render::validate(&fields, node)?;
    Ok(fields)
}

fn limit_param(q: &Query, max: u32) -> Result<u32, GraphError> {
    match q.get("limit").map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(render::DEFAULT_LIMIT.min(max)),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n.min(u64::from(max)) as u32),
            _ => Err(GraphError::invalid_param(format!(
                "Param limit must be a positive integer, got \"{s}\""
            ))),
        },
    }
}

fn cursor_param<P>(q: &Query, parse: impl Fn(&str) -> Option<P>) -> Result<Cursor<P>, GraphError> {
    for (name, wrap) in [
        ("after", Cursor::After as fn(P) -> Cursor<P>),
        ("before", Cursor::Before),
    ] {
        if let Some(c) = q.get(name).filter(|c| !c.is_empty()) {
            return parse(c).map(wrap).ok_or_else(|| {
                GraphError::invalid_param(format!("Param {name} is not a valid cursor"))
            });
        }
    }
    Ok(Cursor::First)
}

/// Graph's error 1 for pages whose nested expansion asks for too much at once.
fn check_reduce(outer: u32, fields: &[Field], s: &Settings) -> Result<(), GraphError> {
    let nested = fields
        .iter()
        .find(|f| f.name == "messages")
        .map(|f| f.limit.unwrap_or(render::DEFAULT_LIMIT).min(s.max_limit));
    match nested {
        Some(n) if u64::from(outer) * u64::from(n) > s.reduce_data_threshold => {
            Err(GraphError::reduce_data())
        }
        _ => Ok(()),
    }
}

fn execute(cx: &Cx, target: Target, q: &Query, s: &Settings) -> Result<Obj, GraphError> {
    match target {
        Target::Account(a) => {
            let default: &[&str] = match a {
                Account::Page => &["id", "name"],
                Account::Instagram => &["id", "username"],
            };
            let f = fields_param(q, default, Node::Account(a))?;
            Ok(cx.account(a, &f))
        }
        Target::Conversations(_, inbox) => list_conversations(cx, inbox, q, s),
        Target::Thread(t) => {
            let f = fields_param(q, render::DEFAULT_THREAD, Node::Thread)?;
            check_reduce(1, &f, s)?;
            cx.thread(&cx.overlay.view(cx.ds, t), &f)
        }
        Target::Messages(t) => {
            let f = fields_param(q, render::DEFAULT_MESSAGE, Node::Message)?;
            let limit = limit_param(q, s.max_limit)?;
            let scope = render::message_scope(t);
            let cursor = cursor_param(q, |c| cx.ds.codec.parse_cursor(scope, c).map(|(_, k)| k))?;
            cx.messages(&cx.overlay.view(cx.ds, t), limit, cursor, &f, LinkTo::Same)
        }
        Target::Message(m) => {
            let f = fields_param(q, render::DEFAULT_MESSAGE, Node::Message)?;
            cx.message_json(&cx.overlay.view(cx.ds, m.thread), m.index, &f, false)
        }
    }
}

fn list_conversations(cx: &Cx, inbox: Inbox, q: &Query, s: &Settings) -> Result<Obj, GraphError> {
    let user_id = q.get("user_id").filter(|u| !u.is_empty());
    let default: &[&str] = if user_id.is_some() {
        &["id"]
    } else {
        render::DEFAULT_THREAD
    };
    let f = fields_param(q, default, Node::Thread)?;
    let folder = match q.get("folder").filter(|f| !f.is_empty()) {
        None => None,
        Some(name) => Some(Folder::parse(name).ok_or_else(|| {
            GraphError::invalid_param(format!(
                "Param folder must be one of {{INBOX, OTHER, PAGE_DONE, PENDING, SPAM}} - got \"{name}\""
            ))
        })?),
    };
    let limit = limit_param(q, s.max_limit)?;
    let (ds, overlay) = (cx.ds, cx.overlay);
    let visible = |t: ThreadRef| {
        let v = overlay.view(ds, t);
        (v.listed() && folder.is_none_or(|f| v.base.folder == f)).then_some(v)
    };

    if let Some(uid) = user_id {
        check_reduce(1, &f, s)?;
        let data = match ds.find_customer(inbox, uid).and_then(visible) {
            Some(v) => vec![Json::Obj(cx.thread(&v, &f)?)],
            None => Vec::new(),
        };
        return Ok(Obj::new().with("data", Json::Arr(data)));
    }

    check_reduce(limit, &f, s)?;
    let scope = inbox.slot() as u64;
    let cursor = cursor_param(q, |c| {
        ds.codec
            .parse_cursor(scope, c)
            .map(|(time, index)| Pos::new(time, index))
    })?;
    let take = limit as usize + 1;
    let (items, dir): (Vec<ThreadView>, _) = match cursor {
        Cursor::First => (
            overlay
                .below(ds, inbox, None)
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::First,
        ),
        Cursor::After(p) => (
            overlay
                .below(ds, inbox, Some(p))
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::After(()),
        ),
        Cursor::Before(p) => (
            overlay
                .above(ds, inbox, p)
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::Before(()),
        ),
    };
    let page = Page::collect(dir, limit, items, |items| match dir {
        Cursor::Before(()) => items.last().is_some_and(|v| {
            overlay
                .below(ds, inbox, Some(v.pos()))
                .any(|t| visible(t).is_some())
        }),
        _ => items.first().is_some_and(|v| {
            overlay
                .above(ds, inbox, v.pos())
                .any(|t| visible(t).is_some())
        }),
    });
    page.render(
        cx.links,
        limit,
        LinkTo::Same,
        |v| ds.codec.cursor(scope, v.pos().time, v.pos().index()),
        |v| cx.thread(&v, &f).map(Json::Obj),
    )
}

#[cfg(test)]
mod tests {
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
