//! Webhooks for JS: `parseWebhook` (the core parser, behind `WebhookReceiver` in `js/core.js`,
//! which verifies signatures with WebCrypto first) and the `Inbox` class over `core::inbox`.
//! JS values come in as JSON text (`JSON.stringify`), the engine's fastest way across.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::convert::{to_js, to_js_error};
use crate::core::error::{ErrorKind, GraphApiError};
use crate::core::inbox::{Inbox as CoreInbox, InboxAccount};
use crate::core::webhook::{parse_json_events, JsonEvent};

/// The events of a verified webhook body (bytes as received). Typed in `wasm/typescript.rs`;
/// the package's `WebhookReceiver.receive` is the public way in.
#[wasm_bindgen(js_name = parseWebhook, skip_typescript)]
pub fn parse_webhook(body: &[u8]) -> Result<JsValue, JsValue> {
    parse_json_events(body)
        .and_then(|events| to_js(&events))
        .map_err(to_js_error)
}

/// A JS value as a Rust value, through its JSON text; `what` names it in the error.
fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, GraphApiError> {
    let bad = |detail: String| {
        GraphApiError::new(ErrorKind::InvalidArgument, format!("{what}: {detail}"))
    };
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| bad("not JSON-serialisable".into()))?;
    serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
}

/// What `syncInbox` yields, its Graph objects as JSON.
#[derive(serde::Deserialize)]
struct SyncedJson {
    conversation: serde_json::Value,
    messages: Vec<serde_json::Value>,
}

/// Synced history and live webhook events merged into one exact inbox, in memory. Any number of
/// accounts; every method is synchronous.
#[wasm_bindgen]
#[derive(Default)]
pub struct Inbox {
    inner: CoreInbox,
}

#[wasm_bindgen]
impl Inbox {
    /// An empty inbox.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Inbox {
        Inbox::default()
    }

    /// Merges one item `syncInbox` yielded, of `account`'s inbox: the id webhooks use as
    /// `entry.id` (the Page for Messenger, the Instagram account for Instagram, also when synced
    /// with a Page token).
    #[wasm_bindgen(js_name = applySync)]
    pub fn apply_sync(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SyncedConversation")] item: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InboxAccount")] account: JsValue,
    ) -> Result<(), JsValue> {
        let item: SyncedJson = from_js(&item, "item").map_err(to_js_error)?;
        let account: InboxAccount = from_js(&account, "account").map_err(to_js_error)?;
        self.inner
            .apply_sync_json(&item.conversation, &item.messages, &account)
            .map_err(to_js_error)
    }

    /// Merges webhook events, in any order, any number of times.
    #[wasm_bindgen(js_name = applyEvents)]
    pub fn apply_events(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WebhookEvent[]")] events: JsValue,
    ) -> Result<(), JsValue> {
        let events: Vec<JsonEvent> = from_js(&events, "events").map_err(to_js_error)?;
        self.inner.apply_json_events(&events);
        Ok(())
    }

    /// Every thread, newest activity first.
    #[wasm_bindgen(unchecked_return_type = "InboxThread[]")]
    pub fn threads(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.threads_json()).map_err(to_js_error)
    }

    /// One thread by key (`"<platform>:<accountId>:<userId>"`), or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "InboxThread | undefined")]
    pub fn thread(&self, key: &str) -> Result<JsValue, JsValue> {
        match self.inner.thread_json(key) {
            Some(thread) => to_js(&thread).map_err(to_js_error),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The `since` of the next incremental `syncInbox` (the newest known activity, less a
    /// minute), or `undefined` while empty. Read it before deliveries resume after a gap.
    pub fn since(&self) -> Option<String> {
        self.inner.since()
    }

    /// Attaches the Graph conversation id of a thread first seen by webhook (from
    /// `findConversation`); `false` for an unknown key.
    #[wasm_bindgen(js_name = linkConversation)]
    pub fn link_conversation(&mut self, key: &str, conversation_id: &str) -> bool {
        self.inner.link_conversation(key, conversation_id)
    }
}
