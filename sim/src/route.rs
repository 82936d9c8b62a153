//! From a request's path to the object it names, and on to its answer: token and
//! `appsecret_proof` checks, lookup, access, the account inbox's rate limit, then `execute`.

use axum::http::Method;

use crate::auth;
use crate::catalogue::Node;
use crate::config::Settings;
use crate::data::Account;
use crate::errors::GraphError;
use crate::execute::execute;
use crate::heavy::Failure;
use crate::ids::{Inbox, MessageRef, ThreadRef};
use crate::json::Obj;
use crate::paging::Links;
use crate::pipeline::GraphRequest;
use crate::query::Query;
use crate::ratelimit::{BucketKey, Usage};
use crate::render::Cx;
use crate::state::Sim;
use crate::store::Overlay;

/// What a path names.
#[derive(Debug, Clone, Copy)]
pub enum Target {
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

    /// The thread a thread or message target belongs to.
    fn thread(self) -> Option<ThreadRef> {
        match self {
            Target::Account(_) | Target::Conversations(..) => None,
            Target::Thread(t) | Target::Messages(t) => Some(t),
            Target::Message(m) => Some(m.thread),
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

pub fn route(
    sim: &Sim,
    g: &GraphRequest,
    settings: &Settings,
    usage: &mut Option<Usage>,
) -> Result<Obj, Failure> {
    let token = g.token.ok_or_else(GraphError::missing_token)?;
    let account = g.account.ok_or_else(GraphError::invalid_token)?;
    if let Some(secret) = &sim.app_secret {
        auth::check_proof(secret, token, g.query, sim.clock.now_secs())?;
    }
    let first = g.segments.first().copied().unwrap_or_default();
    if g.method != Method::GET {
        return Err(GraphError::unsupported(g.method.as_str(), first).into());
    }
    let overlay = sim.overlay();
    let target = resolve(sim, &overlay, account, g.segments, g.query)?;

    let key = BucketKey {
        account,
        inbox: target.inbox(),
    };
    let now = sim.clock.now_ms();
    let taken = {
        let mut rt = sim.runtime();
        let taken = rt.limiter.take(key, settings.rate, now);
        if taken.is_ok() {
            rt.stats.served(account.id(), now);
        }
        taken
    };
    let (Ok(u) | Err(u)) = taken;
    *usage = Some(u);
    if taken.is_err() {
        return Err(GraphError::rate_limited(settings.buc_mode).into());
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
            Ok(Target::Conversations(a, platform(sim.ds.inboxes(a), q)?))
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
    } else if let Some(a) = ds.account(id) {
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
    // Another account's object reads as unknown (Graph's 100/33), even another Page's.
    let allowed = match target.thread() {
        None => matches!(target, Target::Account(a) if a == by),
        Some(t) => t.page == by.page() && ds.inboxes(by).contains(&t.inbox),
    };
    allowed.then_some(target)
}

/// `platform`, case-insensitive; without it, the account's own inbox.
fn platform(allowed: &[Inbox], q: &Query) -> Result<Inbox, GraphError> {
    let Some(p) = q.get("platform").filter(|p| !p.is_empty()) else {
        return Ok(allowed[0]);
    };
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
