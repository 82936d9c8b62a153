//! `/__sim/...`: JSON control endpoints for tests and the demo. No auth, never rate-limited,
//! never faulted.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::SettingsPatch;
use crate::data::{self, Account};
use crate::ids::{Inbox, ThreadRef};
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

fn listed_threads(sim: &Sim, inbox: Inbox) -> usize {
    let overlay = sim.overlay();
    (0..sim.ds.thread_count(inbox))
        .filter(|&index| overlay.view(&sim.ds, ThreadRef { inbox, index }).listed())
        .count()
}

async fn accounts(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let list: Vec<Value> = Account::ALL
        .into_iter()
        .map(|a| {
            let inboxes: Vec<Value> = a
                .inboxes()
                .iter()
                .map(|&inbox| {
                    json!({
                        "platform": inbox.name(),
                        "threads": sim.ds.thread_count(inbox),
                        "listed_threads": listed_threads(&sim, inbox),
                        "customer_id_base": match inbox {
                            Inbox::Messenger => data::PSID_BASE,
                            Inbox::Instagram => data::IGSID_BASE,
                        }.to_string(),
                    })
                })
                .collect();
            let mut v = json!({
                "id": a.id(),
                "token": sim.token_of(a),
                "host": a.host(),
                "platform_inboxes": a.inboxes().iter().map(|i| i.name()).collect::<Vec<_>>(),
                "threads": sim.ds.thread_count(a.default_inbox()),
                "inboxes": inboxes,
            });
            let (k, name) = match a {
                Account::Page => ("name", data::PAGE_NAME),
                Account::Instagram => ("username", data::IG_USERNAME),
            };
            v[k] = name.into();
            v
        })
        .collect();
    Json(Value::Array(list))
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
