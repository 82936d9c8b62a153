//! `/__sim/...`: JSON control endpoints for tests and the demo. No auth, never rate-limited,
//! never faulted.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::SettingsPatch;
use crate::data::{self, Account, Dataset};
use crate::ids::{Mailbox, ThreadRef};
use crate::state::Sim;
use crate::store::{Added, Attachment};
use crate::webhooks::changes;

pub fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/accounts", get(accounts))
        .route("/__sim/messages", post(add_message))
        .route("/__sim/stats", get(stats))
        .route("/__sim/reset", post(reset))
        .route("/__sim/config", get(config).post(set_config))
        .route("/__sim/requests", get(requests).delete(clear_requests))
        .merge(crate::webhooks::routes::routes())
}

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// A JSON request body, or the 400 answer saying what is wrong with it.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_json::from_slice(body)
        .map_err(|e| Box::new(error(StatusCode::BAD_REQUEST, format!("bad body: {e}"))))
}

fn listed_threads(sim: &Sim, mb: Mailbox) -> usize {
    let overlay = sim.overlay();
    (0..sim.ds.thread_count(mb))
        .filter(|&index| overlay.view(&sim.ds, ThreadRef::new(mb, index)).listed())
        .count()
}

fn account_json(sim: &Sim, a: Account) -> Value {
    let inboxes: Vec<Value> = sim
        .ds
        .inboxes(a)
        .iter()
        .map(|&inbox| {
            let mb = a.mailbox(inbox);
            json!({
                "platform": inbox.name(),
                "threads": sim.ds.thread_count(mb),
                "listed_threads": listed_threads(sim, mb),
                "customer_id_base": data::customer_base(mb).to_string(),
                "entry_id": Dataset::business(mb).id,
            })
        })
        .collect();
    let platforms: Vec<&str> = sim.ds.inboxes(a).iter().map(|i| i.name()).collect();
    let mut v = json!({
        "id": a.id(),
        "token": sim.token_of(a),
        "host": a.host(),
        "platform_inboxes": platforms,
        "threads": sim.ds.thread_count(a.mailbox(a.default_inbox())),
        "inboxes": inboxes,
    });
    let key = match a {
        Account::Page(_) => "name",
        Account::Instagram => "username",
    };
    v[key] = a.name().into();
    v
}

/// `?offset=&limit=` over the accounts in `/__sim/accounts` order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Slice {
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

/// All accounts (the two fixed ones first, then extra Pages 1..=N), or a slice of them;
/// `x-total-count` says how many there are in all.
async fn accounts(
    State(sim): State<Arc<Sim>>,
    q: Result<Query<Slice>, QueryRejection>,
) -> Response {
    let Query(slice) = match q {
        Ok(q) => q,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let list: Vec<Value> = sim
        .ds
        .accounts()
        .skip(slice.offset)
        .take(slice.limit.unwrap_or(usize::MAX))
        .map(|a| account_json(&sim, a))
        .collect();
    let total = 2 + sim.ds.pages() as usize;
    (
        [("x-total-count", total.to_string())],
        Json(Value::Array(list)),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMessage {
    conversation_id: String,
    text: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

async fn add_message(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let req: NewMessage = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let from_business = match req.from.as_deref() {
        None | Some("customer") => false,
        Some("business") => true,
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("from must be \"customer\" or \"business\", got {other:?}"),
            )
        }
    };
    let t = match changes::thread(&sim, &req.conversation_id) {
        Ok(t) => t,
        Err((status, message)) => return error(status, message),
    };
    let added = Added {
        created: 0,
        from_business,
        text: req.text,
        attachments: req.attachments,
    };
    let v = changes::add_message(&sim, t, added);
    // The answer keeps its original shape; the webhook carries the rest.
    Json(json!({"id": v["id"], "created_time": v["created_time"]})).into_response()
}

async fn stats(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(serde_json::to_value(&sim.runtime().stats).unwrap_or_default())
}

async fn reset(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.reset();
    Json(json!({ "reset": true }))
}

async fn config(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(serde_json::to_value(sim.settings()).unwrap_or_default())
}

async fn set_config(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let patch: SettingsPatch = match parse_body(&body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let mut settings = sim.settings_mut();
    match settings.apply(patch) {
        Ok(()) => Json(serde_json::to_value(&*settings).unwrap_or_default()).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn requests(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(serde_json::to_value(sim.log().recent()).unwrap_or_default())
}

async fn clear_requests(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let mut log = sim.log();
    let cleared = log.recent().len();
    log.clear();
    Json(json!({ "cleared": cleared }))
}
