//! `ConversationsClient` for JS: one exported method per row of `core::operations`, each a
//! single call into `run` (one result) or `stream` (every page). They read the options with
//! `wasm::options`, build the request from the table and convert the result; nothing else.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{body_to_js, id_arg, promise, signal_of, to_js, to_js_error};
use super::fetch::FetchTransport;
use super::options::{FromJs, JsOptions};
use super::stream::{ListSource, PageStream};
use super::sync::SyncSource;
use crate::client::{Client, Decode, Paginated};
use crate::core::error::GraphApiError;
use crate::core::operations::{self as op, first_item, Operation, Shape};

/// `clientDefaults()`: what a client uses when its options leave a setting out. Typed in
/// `wasm/typescript.rs`, since the package's wrapper makes it async (the wasm loads lazily).
#[wasm_bindgen(js_name = clientDefaults, skip_typescript)]
pub fn client_defaults() -> Result<JsValue, JsValue> {
    to_js(&crate::client::ClientDefaults::get()).map_err(to_js_error)
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

    /// An `Object`, `Page` or `FirstOrNone` operation as one Promise; arguments are checked
    /// before it starts, so bad input never reaches the network.
    fn run<O: FromJs>(
        &self,
        operation: &'static Operation<O>,
        id: &JsValue,
        options: &JsValue,
    ) -> js_sys::Promise {
        let prepared = self.for_call(options).and_then(|client| {
            let o = O::from_js(&JsOptions::new(options, "options")?)?;
            let spec = operation.request(&id_arg(id, operation.node)?, &o)?;
            Ok((client, spec))
        });
        promise(async move {
            let (client, spec) = prepared?;
            let expect = Some(operation.expect());
            match operation.shape {
                Shape::FirstOrNone => {
                    let page = client.send(&spec, expect, Decode::Parse).await?;
                    to_js(&first_item(page.into_value()))
                }
                _ => body_to_js(&client.send(&spec, expect, Decode::AllowVerbatim).await?),
            }
        })
    }

    /// An `AllPages` operation as a stream of pages (`js/core.js` makes it `Paginated<T>`).
    fn stream<O: FromJs>(
        &self,
        operation: &'static Operation<O>,
        id: &JsValue,
        options: &JsValue,
    ) -> Result<PageStream, JsValue> {
        let build = || {
            let client = self.for_call(options)?;
            let o = O::from_js(&JsOptions::new(options, "options")?)?;
            let first = operation.request(&id_arg(id, operation.node)?, &o)?;
            let list: Paginated<FetchTransport, Value> =
                Paginated::new(client, first, operation.items);
            Ok(PageStream::new(ListSource::new(list)))
        };
        build().map_err(to_js_error)
    }
}

#[wasm_bindgen]
impl ConversationsClient {
    /// `new ConversationsClient(options)`: validated at once; bad options throw `invalid_argument`.
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
            let options = FromJs::from_js(&JsOptions::new(&options, "options")?)?;
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

    /// When the next request may go at the earliest (unix ms, never before now): store it and
    /// pass it as `nextCallAt` to a later client of the same account to keep Meta's pace.
    #[wasm_bindgen(getter, js_name = nextCallAt)]
    pub fn next_call_at(&self) -> f64 {
        self.client.next_call_at()
    }

    /// One page of a Page's or Instagram account's threads (`GET /{page-id}/conversations`).
    #[wasm_bindgen(js_name = listConversations, unchecked_return_type = "Promise<Page<Conversation>>")]
    pub fn list_conversations(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ListConversationsOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&op::LIST_CONVERSATIONS, &page_id, &options)
    }

    /// Every thread: `for await (const c of client.conversations(id, { platform }))`.
    #[wasm_bindgen(unchecked_return_type = "Paginated<Conversation>")]
    pub fn conversations(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConversationsOptions & RequestOptions")]
        options: JsValue,
    ) -> Result<PageStream, JsValue> {
        self.stream(&op::CONVERSATIONS, &page_id, &options)
    }

    /// The thread with one person (PSID or IGSID), or `null`.
    #[wasm_bindgen(js_name = findConversation, unchecked_return_type = "Promise<Conversation | null>")]
    pub fn find_conversation(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FindConversationOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&op::FIND_CONVERSATION, &page_id, &options)
    }

    /// One thread (`GET /{conversation-id}`).
    #[wasm_bindgen(js_name = getConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn get_conversation(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "GetOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&op::GET_CONVERSATION, &conversation_id, &options)
    }

    /// One page of a thread's messages, newest first (default fields `id`, `created_time`).
    #[wasm_bindgen(js_name = listMessages, unchecked_return_type = "Promise<Page<Message>>")]
    pub fn list_messages(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListMessagesOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&op::LIST_MESSAGES, &conversation_id, &options)
    }

    /// Every message of a thread, newest first.
    #[wasm_bindgen(unchecked_return_type = "Paginated<Message>")]
    pub fn messages(
        &self,
        #[wasm_bindgen(js_name = "conversationId", unchecked_param_type = "string")]
        conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MessagesOptions & RequestOptions")]
        options: JsValue,
    ) -> Result<PageStream, JsValue> {
        self.stream(&op::MESSAGES, &conversation_id, &options)
    }

    /// A message's details; rejects with kind `"message_unavailable"` outside the newest 20.
    #[wasm_bindgen(js_name = getMessage, unchecked_return_type = "Promise<Message>")]
    pub fn get_message(
        &self,
        #[wasm_bindgen(js_name = "messageId", unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "GetOptions & RequestOptions")]
        options: JsValue,
    ) -> js_sys::Promise {
        self.run(&op::GET_MESSAGE, &message_id, &options)
    }

    /// A whole inbox, paced and resumable: `for await (const { conversation, messages,
    /// checkpoint } of client.syncInbox(id, { platform }))`.
    #[wasm_bindgen(js_name = syncInbox, unchecked_return_type = "AsyncIterable<SyncedConversation>")]
    pub fn sync_inbox(
        &self,
        #[wasm_bindgen(js_name = "pageId", unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SyncOptions & SyncCallbacks & RequestOptions")]
        options: JsValue,
    ) -> Result<PageStream, JsValue> {
        let build = || {
            let client = self.for_call(&options)?;
            let o = JsOptions::new(&options, "options")?;
            let on_progress = o.function("onProgress")?;
            let sync = client.sync_inbox(&id_arg(&page_id, "pageId")?, &FromJs::from_js(&o)?)?;
            Ok(PageStream::new(SyncSource::new(sync, on_progress)))
        };
        build().map_err(to_js_error)
    }
}
