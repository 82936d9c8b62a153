//! Control endpoints for webhooks and the inbox changes that emit them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{changes, handshake, traffic, truth};
use crate::control::{error, parse_body};
use crate::ids::Inbox;
use crate::state::Sim;

pub fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/webhooks", get(status))
        .route(
            "/__sim/webhooks/subscribe",
            post(subscribe).delete(unsubscribe),
        )
        .route("/__sim/webhooks/log", get(log).delete(clear_log))
        .route("/__sim/webhooks/traffic", post(set_traffic))
        .route("/__sim/reactions", post(reaction))
        .route("/__sim/edits", post(edit))
        .route("/__sim/reads", post(read))
        .route("/__sim/unsends", post(unsend))
        .route("/__sim/truth", get(ground_truth))
}

/// Parses the body as `T` and answers what `change` makes of it.
fn apply<T: DeserializeOwned>(body: &[u8], change: impl FnOnce(T) -> changes::Outcome) -> Response {
    let outcome = match parse_body::<T>(body) {
        Ok(req) => change(req),
        Err(r) => return *r,
    };
    match outcome {
        Ok(v) => Json(v).into_response(),
        Err((status, message)) => error(status, message),
    }
}

async fn status(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(sim.webhooks.status())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Subscribe {
    url: String,
    verify_token: Option<String>,
}

async fn subscribe(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let req: Subscribe = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let token = req
        .verify_token
        .unwrap_or_else(|| sim.webhooks.verify_token());
    if let Err(why) = handshake(&sim, &req.url, &token).await {
        return error(
            StatusCode::BAD_REQUEST,
            format!("subscription handshake failed: {why}"),
        );
    }
    sim.webhooks.subscribe(req.url, token);
    Json(sim.webhooks.status()).into_response()
}

async fn unsubscribe(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.webhooks
        .unsubscribe("unsubscribed through DELETE /__sim/webhooks/subscribe");
    Json(sim.webhooks.status())
}

async fn log(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(serde_json::to_value(sim.webhooks.log()).unwrap_or_default())
}

async fn clear_log(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "cleared": sim.webhooks.clear_log() }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Traffic {
    rate: f64,
    seed: Option<u64>,
    steps: Option<u64>,
    /// Only these accounts' inboxes change; all accounts' when left out.
    accounts: Option<Vec<String>>,
}

async fn set_traffic(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let req: Traffic = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let spread = match req.accounts {
        None => None,
        Some(ids) => match traffic::Spread::only(&sim, ids) {
            Ok(s) => Some(s),
            Err(e) => return error(StatusCode::BAD_REQUEST, e),
        },
    };
    let patch = crate::config::SettingsPatch {
        live_traffic: Some(req.rate),
        ..Default::default()
    };
    if let Err(e) = sim.settings_mut().apply(patch) {
        return error(StatusCode::BAD_REQUEST, e);
    }
    traffic::restart(&sim, req.seed.unwrap_or(sim.seed), req.steps, spread);
    Json(sim.webhooks.status()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reaction {
    message_id: String,
    reaction: Option<String>,
    emoji: Option<String>,
    #[serde(default = "react")]
    action: String,
}

fn react() -> String {
    "react".into()
}

async fn reaction(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    apply(&body, |req: Reaction| {
        let react = match req.action.as_str() {
            "react" => true,
            "unreact" => false,
            other => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("action must be \"react\" or \"unreact\", got {other:?}"),
                ))
            }
        };
        let m = changes::message(&sim, &req.message_id)?;
        changes::react(&sim, m, req.reaction, req.emoji, react)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    message_id: String,
    text: String,
}

async fn edit(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    apply(&body, |req: Edit| {
        changes::edit(&sim, changes::message(&sim, &req.message_id)?, req.text)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadReq {
    conversation_id: String,
}

async fn read(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    apply(&body, |req: ReadReq| {
        changes::read(&sim, changes::thread(&sim, &req.conversation_id)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Unsend {
    message_id: String,
}

async fn unsend(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    apply(&body, |req: Unsend| {
        changes::unsend(&sim, changes::message(&sim, &req.message_id)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TruthQuery {
    account: Option<String>,
    platform: Option<String>,
}

async fn ground_truth(State(sim): State<Arc<Sim>>, Query(q): Query<TruthQuery>) -> Response {
    let account = match q.account.as_deref().map(|id| sim.ds.account(id)) {
        Some(None) => return error(StatusCode::NOT_FOUND, "unknown account"),
        Some(a) => a,
        None => None,
    };
    let platform = match q.platform.as_deref() {
        None => None,
        Some(p) if p.eq_ignore_ascii_case("messenger") => Some(Inbox::Messenger),
        Some(p) if p.eq_ignore_ascii_case("instagram") => Some(Inbox::Instagram),
        Some(p) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("platform must be messenger or instagram, got {p:?}"),
            )
        }
    };
    match truth::inbox(&sim, account, platform) {
        Ok(v) => Json(v).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}
