//! The changes control calls and live traffic make to an inbox, each applied to the overlay
//! (so Graph reads show it) and turned into the webhook event Meta would send for it.

use std::borrow::Cow;

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{Event, APP_ID};
use crate::data::Dataset;
use crate::ids::{Inbox, MessageRef, ThreadRef};
use crate::json::{Json, Obj};
use crate::render;
use crate::state::Sim;
use crate::store::{Added, Change, Read, ThreadView};

pub type Outcome = Result<Value, (StatusCode, String)>;

fn not_found(what: &str) -> (StatusCode, String) {
    (StatusCode::NOT_FOUND, format!("unknown {what}"))
}

fn conflict(why: impl Into<String>) -> (StatusCode, String) {
    (StatusCode::CONFLICT, why.into())
}

pub fn thread(sim: &Sim, id: &str) -> Result<ThreadRef, (StatusCode, String)> {
    sim.ds
        .codec
        .parse_thread(id)
        .filter(|t| sim.ds.contains(*t))
        .ok_or_else(|| not_found("conversation_id"))
}

/// A message that exists and was not unsent.
pub fn message(sim: &Sim, id: &str) -> Result<MessageRef, (StatusCode, String)> {
    let m = sim
        .ds
        .codec
        .parse_message(id)
        .filter(|m| sim.ds.contains(m.thread))
        .ok_or_else(|| not_found("message_id"))?;
    let overlay = sim.overlay();
    let view = overlay.view(&sim.ds, m.thread);
    if m.index >= view.total() {
        return Err(not_found("message_id"));
    }
    if view.unsent(m.index) {
        return Err(conflict("the message was unsent"));
    }
    Ok(m)
}

fn id(v: String) -> Obj {
    Obj::new().with("id", v)
}

/// `sender`, `recipient` and `timestamp`, the start of every messaging item.
fn item(sim: &Sim, t: ThreadRef, from_business: bool, timestamp_ms: i64) -> Obj {
    let customer = sim.ds.customer(t).id;
    let business = Dataset::business(t.mailbox()).id;
    let (sender, recipient) = if from_business {
        (business, customer)
    } else {
        (customer, business)
    };
    Obj::new()
        .with("sender", id(sender))
        .with("recipient", id(recipient))
        .with("timestamp", timestamp_ms)
}

fn from_business(sim: &Sim, view: &ThreadView, k: u32) -> bool {
    match view.added_message(k) {
        Some(a) => a.from_business,
        None => sim.ds.sent_by_business(&view.base, k),
    }
}

fn mid(sim: &Sim, m: MessageRef) -> String {
    sim.ds.codec.message_id(m)
}

/// A customer's event about message `m` (a reaction, an edit, an unsend): `key` holds `body`.
fn customer_event(sim: &Sim, m: MessageRef, now: i64, key: &'static str, body: Obj) -> Event {
    let item = item(sim, m.thread, false, now).with(key, body);
    Event::new(m.thread, Some(mid(sim, m)), item)
}

/// Applies `f` to the change record of a customer's message; the business's own messages are
/// not the customer's to edit or unsend.
fn change_customer_message<R>(
    sim: &Sim,
    m: MessageRef,
    verb: &str,
    f: impl FnOnce(&mut Change) -> R,
) -> Result<R, (StatusCode, String)> {
    let mut overlay = sim.overlay_mut();
    if from_business(sim, &overlay.view(&sim.ds, m.thread), m.index) {
        return Err(conflict(format!(
            "only a customer's message can be {verb} here"
        )));
    }
    Ok(f(overlay.change_mut(m)))
}

/// Queues the event and says what the caller's answer reports about it.
fn emit(sim: &Sim, kind: &str, event: Option<Event>) -> Value {
    match event {
        Some(e) => json!({"kind": kind, "queued": sim.webhooks.emit(e)}),
        None => Value::Null,
    }
}

/// A new newest message; the customer's is a `message` event, the business's an echo.
pub fn add_message(sim: &Sim, t: ThreadRef, added: Added) -> Value {
    let now = sim.clock.now_secs();
    let (text, attachments, business) = (
        added.text.clone(),
        added.attachments.clone(),
        added.from_business,
    );
    let (m, created) = sim.overlay_mut().add(&sim.ds, t, added, now);
    let mid = mid(sim, m);
    let mut msg = Obj::new();
    if business {
        msg.put("is_echo", true);
        msg.put("app_id", APP_ID);
    }
    msg.put("mid", mid.clone());
    if !text.is_empty() {
        msg.put("text", text);
    }
    if !attachments.is_empty() {
        let list = attachments
            .into_iter()
            .map(|a| {
                Json::Obj(
                    Obj::new()
                        .with("type", a.kind)
                        .with("payload", Obj::new().with("url", a.url)),
                )
            })
            .collect();
        msg.put("attachments", Json::Arr(list));
    }
    let item = item(sim, t, business, created * 1000).with("message", msg);
    let kind = if business { "echo" } else { "message" };
    json!({
        "id": mid,
        "conversation_id": sim.ds.codec.thread_id(t),
        "created_time": render::time(created),
        "timestamp": created * 1000,
        "webhook": emit(sim, kind, Some(Event::new(t, Some(mid.clone()), item))),
    })
}

/// Meta's reaction names and the emoji each stands for; Messenger and Instagram each accept
/// their own subset.
const REACTIONS: [(&str, &str); 9] = [
    ("love", "\u{2764}\u{fe0f}"),
    ("like", "\u{1f44d}"),
    ("smile", "\u{1f606}"),
    ("laugh", "\u{1f606}"),
    ("wow", "\u{1f62e}"),
    ("sad", "\u{1f622}"),
    ("angry", "\u{1f620}"),
    ("dislike", "\u{1f44e}"),
    ("other", ""),
];

fn reaction_allowed(inbox: Inbox, name: &str) -> bool {
    match inbox {
        Inbox::Messenger => name != "laugh",
        Inbox::Instagram => name != "smile" && name != "dislike",
    }
}

/// The customer's current reaction to message `k`.
fn customer_reaction(sim: &Sim, view: &ThreadView, k: u32) -> Option<String> {
    match view.change(k).and_then(|c| c.reaction.clone()) {
        Some(r) => r,
        None if view.added_message(k).is_none() => sim
            .ds
            .message(&view.base, k)
            .reactions
            .into_iter()
            .find(|r| !r.by_business)
            .map(|r| r.emoji.into_owned()),
        None => None,
    }
}

/// The customer reacts to a message (`react`) or takes the reaction back (`unreact`).
pub fn react(
    sim: &Sim,
    m: MessageRef,
    reaction: Option<String>,
    emoji: Option<String>,
    react: bool,
) -> Outcome {
    let inbox = m.thread.inbox;
    let (name, emoji) = match (reaction, emoji) {
        (Some(r), e) => {
            let known = REACTIONS.iter().find(|(n, _)| *n == r);
            let Some(&(n, default)) = known.filter(|(n, _)| reaction_allowed(inbox, n)) else {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("reaction {r:?} is not one {} sends", inbox.name()),
                ));
            };
            let emoji = e.unwrap_or_else(|| default.to_owned());
            if emoji.is_empty() {
                return Err((
                    StatusCode::BAD_REQUEST,
                    "reaction other needs an emoji".into(),
                ));
            }
            (n, emoji)
        }
        (None, Some(e)) => {
            let named = REACTIONS
                .iter()
                .find(|(n, d)| *d == e && reaction_allowed(inbox, n));
            (named.map_or("other", |(n, _)| n), e)
        }
        (None, None) => ("love", REACTIONS[0].1.to_owned()),
    };
    let now = sim.clock.now_ms();
    let mut overlay = sim.overlay_mut();
    let before = customer_reaction(sim, &overlay.view(&sim.ds, m.thread), m.index);
    if !react && before.is_none() {
        return Err(conflict("the customer has no reaction on this message"));
    }
    overlay.change_mut(m).reaction = Some(react.then(|| emoji.clone()));
    drop(overlay);
    let mut r = Obj::new();
    // Instagram leaves the reaction out of an unreact; Messenger names the one removed.
    let (shown_name, shown_emoji) = match (react, inbox) {
        (true, _) => (Some(Cow::Borrowed(name)), Some(emoji.clone())),
        (false, Inbox::Messenger) => {
            let before = before.unwrap_or_default();
            let n = REACTIONS
                .iter()
                .find(|(_, d)| *d == before)
                .map_or("other", |(n, _)| n);
            (Some(Cow::Borrowed(n)), Some(before))
        }
        (false, Inbox::Instagram) => (None, None),
    };
    let action = if react { "react" } else { "unreact" };
    let mid = mid(sim, m);
    match inbox {
        Inbox::Messenger => {
            if let (Some(n), Some(e)) = (shown_name, shown_emoji) {
                r.put("reaction", n);
                r.put("emoji", e);
            }
            r.put("action", action);
            r.put("mid", mid.clone());
        }
        Inbox::Instagram => {
            r.put("mid", mid.clone());
            r.put("action", action);
            if let (Some(n), Some(e)) = (shown_name, shown_emoji) {
                r.put("reaction", n);
                r.put("emoji", e);
            }
        }
    }
    let event = customer_event(sim, m, now, "reaction", r);
    Ok(json!({
        "message_id": mid,
        "action": action,
        "reaction": react.then_some(name),
        "emoji": react.then_some(emoji),
        "timestamp": now,
        "webhook": emit(sim, "reaction", Some(event)),
    }))
}

/// The customer edits a message. Only Messenger documents a `message_edit` webhook, so an
/// Instagram edit changes Graph's text and sends nothing.
pub fn edit(sim: &Sim, m: MessageRef, text: String) -> Outcome {
    let now = sim.clock.now_ms();
    let num_edit = change_customer_message(sim, m, "edited", |c| {
        let n = c.edit.as_ref().map_or(0, |(_, n)| *n) + 1;
        c.edit = Some((text.clone(), n));
        n
    })?;
    let event = (m.thread.inbox == Inbox::Messenger).then(|| {
        let e = Obj::new()
            .with("mid", mid(sim, m))
            .with("text", text.clone())
            .with("num_edit", num_edit);
        customer_event(sim, m, now, "message_edit", e)
    });
    Ok(json!({
        "message_id": mid(sim, m),
        "text": text,
        "num_edit": num_edit,
        "timestamp": now,
        "webhook": emit(sim, "message_edit", event),
    }))
}

/// The customer reads the thread: Messenger reports a watermark (now), Instagram the newest
/// business message.
pub fn read(sim: &Sim, t: ThreadRef) -> Outcome {
    let now = sim.clock.now_ms();
    let mut overlay = sim.overlay_mut();
    let read = match t.inbox {
        Inbox::Messenger => Read::Watermark(now),
        Inbox::Instagram => {
            let view = overlay.view(&sim.ds, t);
            let newest = (0..view.total())
                .rev()
                .find(|&k| !view.unsent(k) && from_business(sim, &view, k))
                .ok_or_else(|| conflict("the thread has no business message to read"))?;
            Read::Mid(view.message_ref(newest))
        }
    };
    overlay.set_read(t, read);
    drop(overlay);
    let (r, mid, answer) = match read {
        Read::Watermark(w) => (
            Obj::new().with("watermark", w),
            None,
            json!({"watermark": w}),
        ),
        Read::Mid(m) => {
            let mid = mid(sim, m);
            (
                Obj::new().with("mid", mid.clone()),
                Some(mid.clone()),
                json!({"mid": mid}),
            )
        }
    };
    let item = item(sim, t, false, now).with("read", r);
    Ok(json!({
        "conversation_id": sim.ds.codec.thread_id(t),
        "read": answer,
        "timestamp": now,
        "webhook": emit(sim, "read", Some(Event::new(t, mid, item))),
    }))
}

/// The customer unsends a message: it leaves Graph reads. Instagram sends the message again
/// with `is_deleted: true`; Messenger documents no unsend webhook and sends nothing.
pub fn unsend(sim: &Sim, m: MessageRef) -> Outcome {
    let now = sim.clock.now_ms();
    change_customer_message(sim, m, "unsent", |c| c.unsent = true)?;
    let event = (m.thread.inbox == Inbox::Instagram).then(|| {
        let msg = Obj::new().with("mid", mid(sim, m)).with("is_deleted", true);
        customer_event(sim, m, now, "message", msg)
    });
    Ok(json!({
        "message_id": mid(sim, m),
        "unsent": true,
        "timestamp": now,
        "webhook": emit(sim, "unsend", event),
    }))
}
