//! `GET /__sim/truth`: what a perfectly merged inbox holds right now, for tests that check a
//! client's webhook + backfill merge. Seeded, unchanged messages give only their id and time,
//! so the whole default inbox costs a few thousand hashes.

use serde_json::{json, Value};

use crate::data::{Account, Dataset};
use crate::ids::Inbox;
use crate::paging::Links;
use crate::query::Query;
use crate::render::{self, Cx};
use crate::state::Sim;
use crate::store::{Read, ThreadView};

pub fn inbox(
    sim: &Sim,
    account: Option<Account>,
    platform: Option<Inbox>,
) -> Result<Value, String> {
    let account = account.unwrap_or(Account::Page(0));
    let inbox = match platform {
        Some(p) if !sim.ds.inboxes(account).contains(&p) => {
            return Err(format!(
                "account {} has no {} inbox",
                account.id(),
                p.name()
            ))
        }
        Some(p) => p,
        None => account.default_inbox(),
    };
    let mb = account.mailbox(inbox);
    let overlay = sim.overlay();
    let query = Query::default();
    let links = Links {
        origin: String::new(),
        prefix: "",
        path: "",
        token: "",
        query: &query,
    };
    let cx = Cx {
        ds: &sim.ds,
        overlay: &overlay,
        detail_window: sim.detail_window,
        max_limit: u32::MAX,
        links: &links,
    };
    let threads: Vec<Value> = overlay
        .below(&sim.ds, mb, None)
        .map(|t| thread(&cx, &overlay.view(&sim.ds, t)))
        .collect();
    Ok(json!({
        "platform": inbox.name(),
        "object": match inbox { Inbox::Messenger => "page", Inbox::Instagram => "instagram" },
        "entry_id": Dataset::business(mb).id,
        "threads": threads,
    }))
}

fn thread(cx: &Cx, view: &ThreadView) -> Value {
    let t = view.base.r;
    let messages: Vec<Value> = (0..view.total()).map(|k| message(cx, view, k)).collect();
    let read = match view.read {
        Some(Read::Watermark(w)) => json!({ "watermark": w }),
        Some(Read::Mid(m)) => json!({ "mid": cx.ds.codec.message_id(m) }),
        None => Value::Null,
    };
    json!({
        "id": cx.thread_id(t),
        "customer_id": cx.ds.customer(t).id,
        "updated_time": serde_json::to_value(render::time(view.updated)).unwrap_or_default(),
        "listed": view.listed(),
        "read": read,
        "messages": messages,
    })
}

fn message(cx: &Cx, view: &ThreadView, k: u32) -> Value {
    let created = cx.created(view, k);
    let mut v = json!({
        "id": cx.ds.codec.message_id(view.message_ref(k)),
        "created_time": serde_json::to_value(render::time(created)).unwrap_or_default(),
        "timestamp": created * 1000,
    });
    let change = view.change(k);
    if view.added_message(k).is_none() && change.is_none() {
        return v;
    }
    let m = cx.message(view, k);
    v["from"] = if m.from_business {
        "business"
    } else {
        "customer"
    }
    .into();
    v["text"] = m.text.as_ref().into();
    v["reactions"] = m
        .reactions
        .iter()
        .map(|r| json!({"emoji": r.emoji, "by": if r.by_business { "business" } else { "customer" }}))
        .collect();
    if let Some((_, n)) = change.and_then(|c| c.edit.as_ref()) {
        v["num_edit"] = (*n).into();
    }
    v["unsent"] = view.unsent(k).into();
    v
}
