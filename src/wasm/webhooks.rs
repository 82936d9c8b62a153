//! Webhooks for JS: `parseWebhook` (the core parser, behind `WebhookReceiver` in `js/core.js`,
//! which verifies signatures with WebCrypto first) and the `Inbox` class over `core::inbox`.
//!
//! Events and sync items come back from JS as what they keep, read by `wasm::options` (no serde
//! decoder of typed models in the wasm build, see ARCHITECTURE.md): an event is read again from
//! its `raw` by the one parser (`core::webhook::reread_event`).

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{to_js, to_js_error};
use super::options::{FromJs, JsOptions};
use crate::core::error::GraphApiError;
use crate::core::inbox::{Inbox as CoreInbox, InboxAccount, InboxOptions};
use crate::core::options::Platform;
use crate::core::webhook::{self, parse_json_events, reread_event, DEFAULT_MAX_BODY_BYTES};

/// The events of a verified webhook body (bytes as received). Typed in `wasm/typescript.rs`;
/// the package's `WebhookReceiver.receive` is the public way in.
#[wasm_bindgen(js_name = parseWebhook, skip_typescript)]
pub fn parse_webhook(body: &[u8]) -> Result<JsValue, JsValue> {
    parse_json_events(body)
        .and_then(|mut events| {
            events.iter_mut().for_each(|e| exact_in_js(&mut e.raw));
            to_js(&events)
        })
        .map_err(to_js_error)
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Integers beyond 2^53 in `raw` (Meta sometimes sends ids as numbers) go to JS as their decimal
/// text: as numbers they would round, and the `Inbox`, which reads events again from `raw`, would
/// file the event under another user. The parser reads either form of an id.
fn exact_in_js(value: &mut Value) {
    match value {
        Value::Number(n) if !fits_js(n) => *value = Value::String(n.to_string()),
        Value::Array(items) => items.iter_mut().for_each(exact_in_js),
        Value::Object(fields) => fields.values_mut().for_each(exact_in_js),
        _ => {}
    }
}

/// Whether a JS number holds `n` as exactly as JSON does: floats, and integers up to 2^53.
fn fits_js(n: &serde_json::Number) -> bool {
    match n.as_i64() {
        Some(i) => i.unsigned_abs() <= MAX_SAFE_INTEGER,
        None => !n.is_u64(),
    }
}

/// The default body cap of `core::webhook`, for the JS receiver (which states it nowhere else).
#[wasm_bindgen(js_name = webhookMaxBodyBytes, skip_typescript)]
pub fn webhook_max_body_bytes() -> f64 {
    DEFAULT_MAX_BODY_BYTES as f64
}

/// Why a signature did not verify, in `core::webhook`'s words, for the JS receiver.
#[wasm_bindgen(js_name = signatureFailure, skip_typescript)]
pub fn signature_failure(signature: Option<String>) -> String {
    webhook::signature_failure(signature.as_deref()).to_owned()
}

/// What an event keeps that makes it again.
pub(crate) struct KeptEvent {
    pub platform: Platform,
    pub account_id: String,
    pub timestamp: i64,
    pub standby: bool,
    pub raw: Value,
}

/// What `syncInbox` yields, its Graph objects as JSON.
pub(crate) struct SyncedJson {
    pub conversation: Value,
    pub messages: Vec<Value>,
    pub read_at: i64,
}

fn read<T: FromJs>(value: &JsValue, what: &'static str) -> Result<T, GraphApiError> {
    T::from_js(&JsOptions::new(value, what)?)
}

/// Synced history and live webhook events merged into one exact inbox, in memory. Any number of
/// accounts; every method is synchronous.
#[wasm_bindgen]
pub struct Inbox {
    inner: CoreInbox,
}

#[wasm_bindgen]
impl Inbox {
    /// An empty inbox.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "InboxOptions")] options: Option<JsValue>,
    ) -> Result<Inbox, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let o: InboxOptions = read(&options, "options").map_err(to_js_error)?;
        let inner = CoreInbox::with_options(&o);
        Ok(Inbox { inner })
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
        let merged = read::<SyncedJson>(&item, "item").and_then(|item| {
            let account: InboxAccount = read(&account, "account")?;
            self.inner
                .apply_sync_json(&item.conversation, &item.messages, &account, item.read_at)
        });
        merged.map_err(to_js_error)
    }

    /// Merges webhook events (as `WebhookReceiver` gave them), in any order, any number of
    /// times.
    #[wasm_bindgen(js_name = applyEvents)]
    pub fn apply_events(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WebhookEvent[]")] events: JsValue,
    ) -> Result<(), JsValue> {
        if !js_sys::Array::is_array(&events) {
            let error = GraphApiError::invalid_argument("events must be an array");
            return Err(to_js_error(error));
        }
        let kept = js_sys::Array::from(&events)
            .iter()
            .map(|event| read::<KeptEvent>(&event, "event"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(to_js_error)?;
        let events: Vec<_> = kept
            .into_iter()
            .map(|e| reread_event(e.platform, e.account_id, e.timestamp, e.standby, e.raw))
            .collect();
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
