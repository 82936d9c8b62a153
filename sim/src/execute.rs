//! Answers a resolved target: an account, a thread or a message, or a page of a list.

use crate::catalogue::{Node, DEFAULT_MESSAGE, DEFAULT_THREAD};
use crate::config::Settings;
use crate::data::{Account, Folder};
use crate::errors::GraphError;
use crate::heavy::{self, Failure};
use crate::ids::{Mailbox, ThreadRef};
use crate::json::{Json, Obj};
use crate::paging::{list_scope, message_scope, Cursor, LinkTo, Page};
use crate::params::{cursor_param, fields_param, limit_param};
use crate::query::Query;
use crate::render::Cx;
use crate::route::Target;
use crate::store::{Pos, ThreadView};

pub fn execute(cx: &Cx, target: Target, q: &Query, s: &Settings) -> Result<Obj, Failure> {
    match target {
        Target::Account(a) => {
            let default: &[&str] = match a {
                Account::Page(_) => &["id", "name"],
                Account::Instagram => &["id", "username"],
            };
            let f = fields_param(q, default, Node::Account(a))?;
            Ok(cx.account(a, &f))
        }
        Target::Conversations(a, inbox) => list_conversations(cx, a.mailbox(inbox), q, s),
        Target::Thread(t) => {
            let f = fields_param(q, DEFAULT_THREAD, Node::Thread)?;
            heavy::check(1, &f, s, cx.detail_window)?;
            Ok(cx.thread(&cx.overlay.view(cx.ds, t), &f)?)
        }
        Target::Messages(t) => {
            let f = fields_param(q, DEFAULT_MESSAGE, Node::Message)?;
            let limit = limit_param(q, s.max_limit)?;
            let scope = message_scope(t);
            let cursor = cursor_param(q, |c| cx.ds.codec.parse_cursor(scope, c).map(|(_, k)| k))?;
            Ok(cx.messages(&cx.overlay.view(cx.ds, t), limit, cursor, &f, LinkTo::Same)?)
        }
        Target::Message(m) => {
            let f = fields_param(q, DEFAULT_MESSAGE, Node::Message)?;
            Ok(cx.message_json(&cx.overlay.view(cx.ds, m.thread), m.index, &f, false)?)
        }
    }
}

fn list_conversations(cx: &Cx, mb: Mailbox, q: &Query, s: &Settings) -> Result<Obj, Failure> {
    let user_id = q.get("user_id").filter(|u| !u.is_empty());
    let default: &[&str] = if user_id.is_some() {
        &["id"]
    } else {
        DEFAULT_THREAD
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
        heavy::check(1, &f, s, cx.detail_window)?;
        let data = match ds.find_customer(mb, uid).and_then(visible) {
            Some(v) => vec![Json::Obj(cx.thread(&v, &f)?)],
            None => Vec::new(),
        };
        return Ok(Obj::new().with("data", Json::Arr(data)));
    }

    heavy::check(limit, &f, s, cx.detail_window)?;
    let scope = list_scope(mb);
    let cursor = cursor_param(q, |c| {
        ds.codec
            .parse_cursor(scope, c)
            .map(|(time, index)| Pos::new(time, index))
    })?;
    let take = limit as usize + 1;
    let (items, dir): (Vec<ThreadView>, _) = match cursor {
        Cursor::First => (
            overlay
                .below(ds, mb, None)
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::First,
        ),
        Cursor::After(p) => (
            overlay
                .below(ds, mb, Some(p))
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::After(()),
        ),
        Cursor::Before(p) => (
            overlay
                .above(ds, mb, p)
                .filter_map(visible)
                .take(take)
                .collect(),
            Cursor::Before(()),
        ),
    };
    let page = Page::collect(dir, limit, items, |items| match dir {
        Cursor::Before(()) => items.last().is_some_and(|v| {
            overlay
                .below(ds, mb, Some(v.pos()))
                .any(|t| visible(t).is_some())
        }),
        _ => items
            .first()
            .is_some_and(|v| overlay.above(ds, mb, v.pos()).any(|t| visible(t).is_some())),
    });
    Ok(page.render(
        cx.links,
        limit,
        LinkTo::Same,
        |v| ds.codec.cursor(scope, v.pos().time, v.pos().index()),
        |v| cx.thread(&v, &f).map(Json::Obj),
    )?)
}
