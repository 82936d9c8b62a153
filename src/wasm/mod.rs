//! The JS facade: thin wrappers that turn JS values into core options, run the Rust client, and
//! turn results into plain JS objects and failures into `GraphApiError`. Nothing here panics on
//! bad input: every conversion failure becomes an `invalid_argument` rejection.

mod fetch;
mod options;
mod stream;
mod sync;

use std::future::Future;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

pub use fetch::FetchTransport;
use options::JsOptions;
use stream::{ItemStream, ListSource};
use sync::SyncSource;

use crate::client::{Client, Expect, Fetched, Paginated};
use crate::core::error::GraphApiError;
use crate::core::request::{self, ListConversationsOptions, ListMessagesOptions, RequestSpec};
use crate::core::schema;

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = createGraphApiError)]
    fn create_graph_api_error(message: &str, fields: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isAbortSignal)]
    fn is_abort_signal(value: &JsValue) -> bool;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What went wrong, coarse enough to act on. */
export type GraphApiErrorKind = ErrorKind;

/** Every failure rejects with this class (one identity in every runtime). */
export declare class GraphApiError extends Error {
  constructor(message: string, fields?: Partial<Omit<GraphApiError, "message" | "name">>);
  kind: GraphApiErrorKind;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Graph `error.code`. */
  code?: number;
  /** Graph `error.error_subcode`. */
  subcode?: number;
  /** Graph `error.type`. */
  type?: string;
  fbtraceId?: string;
  /** From `X-Business-Use-Case-Usage` `estimated_time_to_regain_access`, when known. */
  retryAfterMs?: number;
  isTransient: boolean;
}

/** Fields of an unexpected shape, or unknown to these types, kept as Graph sent them. */
export type Extra = Record<string, unknown>;

/**
 * `appsecret_proof` for server runtimes (Workers, Deno, Node): hex HMAC-SHA256 of
 * `accessToken|time` keyed with the app secret, valid five minutes. Never ship an app secret
 * to a browser. `time` defaults to now (unix seconds).
 */
export declare function computeAppSecretProof(accessToken: string, appSecret: string, time?: number): Promise<AppSecretProof>;

/** Per-call options every operation accepts. */
export interface RequestOptions {
  /** Cancels the call (and any retry wait); it rejects with kind `"aborted"`. */
  signal?: AbortSignal;
}

/** `syncInbox` options that are functions or signals. */
export interface SyncCallbacks {
  /** Called after every synced conversation, and once when the sync ends. */
  onProgress?: (progress: SyncProgress) => void;
}

/** Every item of a list, fetched page by page as you iterate. */
export interface Paginated<T> extends AsyncIterable<T> {
  /** Whole pages instead of items. */
  pages(): AsyncIterable<Page<T>>;
  /** Collects up to `limit` items. */
  toArray(options: { limit: number }): Promise<T[]>;
}
"#;

fn to_js_error(err: GraphApiError) -> JsValue {
    let fields = to_js(&err).unwrap_or(JsValue::UNDEFINED);
    create_graph_api_error(&err.message, fields)
}

/// A fetched body as a plain JS object: a body that was already normal is parsed straight from
/// its text by the engine (`core::check`), anything else after normalisation.
pub(crate) fn fetched_to_js(fetched: &Fetched) -> Result<JsValue, GraphApiError> {
    match fetched {
        Fetched::Text(text, _) => js_sys::JSON::parse(text)
            .map_err(|_| GraphApiError::invalid_response(200, "cannot decode JSON")),
        Fetched::Value(value) => to_js(value),
    }
}

/// Rust value to plain JS object. Going through JSON text and the engine's `JSON.parse` is much
/// faster than building objects field by field across the boundary.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, GraphApiError> {
    let text = serde_json::to_string(value)
        .map_err(|e| GraphApiError::invalid_response(200, format!("cannot encode: {e}")))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| GraphApiError::invalid_response(200, "cannot decode JSON"))
}

fn id_arg(value: &JsValue, what: &str) -> Result<String, GraphApiError> {
    value
        .as_string()
        .ok_or_else(|| GraphApiError::invalid_argument(format!("{what} must be a string")))
}

/// The caller's `signal`, if any; anything else there is a mistake worth reporting.
fn signal_of(options: &JsValue) -> Result<Option<AbortSignal>, GraphApiError> {
    if !options.is_object() {
        return Ok(None);
    }
    let signal = js_sys::Reflect::get(options, &JsValue::from_str("signal")).unwrap_or_default();
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    if !is_abort_signal(&signal) {
        return Err(GraphApiError::invalid_argument(
            "signal must be an AbortSignal",
        ));
    }
    Ok(Some(signal.unchecked_into()))
}

/// Runs an operation as a Promise: JS value on success, `GraphApiError` on failure.
fn promise<F>(work: F) -> js_sys::Promise
where
    F: Future<Output = Result<JsValue, GraphApiError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(to_js_error) })
}

/// What a call reads and how its result is shaped for JS.
enum Call {
    One(RequestSpec, Expect),
    /// The first item of a list page, or `null`.
    FirstOrNull(RequestSpec),
}

/// A Conversations API client for JS.
#[wasm_bindgen]
pub struct ConversationsClient {
    client: Client<FetchTransport>,
}

impl ConversationsClient {
    /// A client sharing this one's pacing, with the call's `signal`.
    fn for_call(&self, options: &JsValue) -> Result<Client<FetchTransport>, GraphApiError> {
        let transport = FetchTransport::new(signal_of(options)?);
        Ok(self.client.with_transport(transport))
    }

    /// Every operation goes through here: validated synchronously, run as one Promise.
    fn run(
        &self,
        options: &JsValue,
        build: impl FnOnce() -> Result<Call, GraphApiError>,
    ) -> js_sys::Promise {
        let prepared = self.for_call(options).and_then(|c| Ok((c, build()?)));
        promise(async move {
            let (client, call) = prepared?;
            let value = match call {
                Call::One(spec, expect) => {
                    return fetched_to_js(&client.fetch_fast(&spec, expect).await?)
                }
                Call::FirstOrNull(spec) => {
                    let expect = Expect::Page(&schema::CONVERSATION);
                    let mut page = client.fetch(&spec, expect).await?;
                    match page.get_mut("data").and_then(|d| d.as_array_mut()) {
                        Some(items) if !items.is_empty() => items.swap_remove(0),
                        _ => serde_json::Value::Null,
                    }
                }
            };
            to_js(&value)
        })
    }

    fn stream(
        &self,
        options: &JsValue,
        build: impl FnOnce(
            &Client<FetchTransport>,
        )
            -> Result<Paginated<FetchTransport, serde_json::Value>, GraphApiError>,
    ) -> Result<ItemStream, JsValue> {
        let client = self.for_call(options).map_err(to_js_error)?;
        let list = build(&client).map_err(to_js_error)?;
        Ok(ItemStream::new(ListSource::new(list)))
    }
}

#[wasm_bindgen]
impl ConversationsClient {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<ConversationsClient, JsValue> {
        let build = || {
            if !options.is_object() {
                return Err(GraphApiError::invalid_argument(
                    "options with an accessToken are required",
                ));
            }
            let options = JsOptions::new(&options, "options")?.client()?;
            Client::new(options, FetchTransport::default())
        };
        build()
            .map(|client| ConversationsClient { client })
            .map_err(to_js_error)
    }

    /// The last rate-limit usage Graph reported (`X-App-Usage`, `X-Business-Use-Case-Usage`).
    #[wasm_bindgen(getter, unchecked_return_type = "Usage | undefined")]
    pub fn usage(&self) -> JsValue {
        self.client
            .usage()
            .and_then(|u| to_js(&u).ok())
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// One page of a Page's or Instagram account's threads (`GET /{page-id}/conversations`).
    #[wasm_bindgen(js_name = listConversations, unchecked_return_type = "Promise<Page<Conversation>>")]
    pub fn list_conversations(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ListConversationsOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&options, || {
            let o = JsOptions::new(&options, "options")?.list_conversations()?;
            let spec = request::list_conversations(&id_arg(&page_id, "pageId")?, &o)?;
            Ok(Call::One(spec, Expect::Page(&schema::CONVERSATION)))
        })
    }

    /// Every thread: `for await (const c of client.conversations(id, { platform }))`.
    #[wasm_bindgen(unchecked_return_type = "Paginated<Conversation>")]
    pub fn conversations(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConversationsOptions & RequestOptions")]
        options: JsValue,
    ) -> Result<ItemStream, JsValue> {
        self.stream(&options, |client| {
            let o = ListConversationsOptions {
                user_id: None,
                after: None,
                before: None,
                ..JsOptions::new(&options, "options")?.list_conversations()?
            };
            let first = request::list_conversations(&id_arg(&page_id, "pageId")?, &o)?;
            Ok(Paginated::new(client.clone(), first, &schema::CONVERSATION))
        })
    }

    /// The thread with one person (PSID or IGSID), or `null`.
    #[wasm_bindgen(js_name = findConversation, unchecked_return_type = "Promise<Conversation | null>")]
    pub fn find_conversation(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FindConversationOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&options, || {
            if !options.is_object() {
                return Err(GraphApiError::invalid_argument(
                    "options with platform and userId are required",
                ));
            }
            let o = JsOptions::new(&options, "options")?.list_conversations()?;
            if o.user_id.is_none() {
                return Err(GraphApiError::invalid_argument(
                    "options.userId is required",
                ));
            }
            let o = ListConversationsOptions {
                after: None,
                before: None,
                limit: None,
                folder: None,
                ..o
            };
            let spec = request::list_conversations(&id_arg(&page_id, "pageId")?, &o)?;
            Ok(Call::FirstOrNull(spec))
        })
    }

    /// One thread (`GET /{conversation-id}`).
    #[wasm_bindgen(js_name = getConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn get_conversation(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GetOptions & RequestOptions")] options: JsValue,
    ) -> js_sys::Promise {
        self.run(&options, || {
            let o = JsOptions::new(&options, "options")?.get()?;
            let spec = request::get_conversation(&id_arg(&conversation_id, "conversationId")?, &o)?;
            Ok(Call::One(spec, Expect::Object(&schema::CONVERSATION)))
        })
    }

    /// One page of a thread's messages, newest first (default fields `id`, `created_time`).
    #[wasm_bindgen(js_name = listMessages, unchecked_return_type = "Promise<Page<Message>>")]
    pub fn list_messages(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ListMessagesOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&options, || {
            let o = JsOptions::new(&options, "options")?.list_messages()?;
            let spec = request::list_messages(&id_arg(&conversation_id, "conversationId")?, &o)?;
            Ok(Call::One(spec, Expect::Page(&schema::MESSAGE)))
        })
    }

    /// Every message of a thread, newest first.
    #[wasm_bindgen(unchecked_return_type = "Paginated<Message>")]
    pub fn messages(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MessagesOptions & RequestOptions")] options: JsValue,
    ) -> Result<ItemStream, JsValue> {
        self.stream(&options, |client| {
            let o = ListMessagesOptions {
                after: None,
                before: None,
                ..JsOptions::new(&options, "options")?.list_messages()?
            };
            let first = request::list_messages(&id_arg(&conversation_id, "conversationId")?, &o)?;
            Ok(Paginated::new(client.clone(), first, &schema::MESSAGE))
        })
    }

    /// A whole inbox, paced and resumable: `for await (const { conversation, messages,
    /// checkpoint } of client.syncInbox(id, { platform }))`.
    #[wasm_bindgen(js_name = syncInbox, unchecked_return_type = "AsyncIterable<SyncedConversation>")]
    pub fn sync_inbox(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SyncOptions & SyncCallbacks & RequestOptions")]
        options: JsValue,
    ) -> Result<ItemStream, JsValue> {
        let build = || {
            let client = self.for_call(&options)?;
            let o = JsOptions::new(&options, "options")?;
            let on_progress = o.function("onProgress")?;
            let sync = client.sync_inbox(&id_arg(&page_id, "pageId")?, &o.sync()?)?;
            Ok(ItemStream::new(SyncSource::new(sync, on_progress)))
        };
        build().map_err(to_js_error)
    }

    /// A message's details; rejects with kind `"message_unavailable"` outside the newest 20.
    #[wasm_bindgen(js_name = getMessage, unchecked_return_type = "Promise<Message>")]
    pub fn get_message(
        &self,
        #[wasm_bindgen(js_name = "messageId", unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GetOptions & RequestOptions")] options: JsValue,
    ) -> js_sys::Promise {
        self.run(&options, || {
            let o = JsOptions::new(&options, "options")?.get()?;
            let spec = request::get_message(&id_arg(&message_id, "messageId")?, &o)?;
            Ok(Call::One(spec, Expect::Object(&schema::MESSAGE)))
        })
    }
}
