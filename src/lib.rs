//! Typed client for Meta's Conversations API: Messenger and Instagram threads through the Graph
//! API. The same operations serve Rust code (over any [`Transport`]; [`ReqwestTransport`]
//! natively, `FetchTransport` in wasm) and, through the wasm facade, every JS runtime.
//!
//! ```no_run
//! use graph_conversations::{Client, ClientOptions, ListConversationsOptions, Platform, ReqwestTransport};
//!
//! # async fn run() -> Result<(), graph_conversations::GraphApiError> {
//! let client = Client::new(
//!     ClientOptions { access_token: "PAGE-ACCESS-TOKEN".into(), ..Default::default() },
//!     ReqwestTransport::default(),
//! )?;
//! let page = client
//!     .list_conversations("me", &ListConversationsOptions {
//!         platform: Some(Platform::Messenger),
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("{} threads", page.data.len());
//! # Ok(()) }
//! ```
//!
//! Failures are one [`GraphApiError`] with an [`ErrorKind`] to act on. Models keep every field
//! Graph sends, typed or not (`extra`, `unparsed`). ARCHITECTURE.md in the repository shows the
//! layers: a pure core without I/O, the client over a transport, and the wasm facade.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `GraphApiError` is ~130 bytes of plain fields users read directly; failures are rare next to
// the network round trip, so boxing it would cost ergonomics for nothing measurable.
#![allow(clippy::result_large_err)]

mod client;
mod core;
mod sync;
mod transport;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub use crate::wasm::__test_support;
#[cfg(target_arch = "wasm32")]
pub use crate::wasm::{ConversationsClient, FetchTransport};

pub use crate::client::{
    Client, ClientDefaults, ClientOptions, ClientStats, Paginated, TokenTransport,
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_SECOND,
};
pub use crate::core::error::{ErrorKind, GraphApiError};
pub use crate::core::hmac::verify_signature_header;
pub use crate::core::inbox::{
    changes_of_event, changes_of_sync, thread_key, thread_view, EditRecord, EventChanges, Inbox,
    InboxAccount, InboxOptions, InboxThread, InboxThreadOf, MessageChange, MessageRecord,
    ReactionRecord, Source, SyncChanges, ThreadChange, ThreadRecord, GRAPH_LAG_MS,
    SINCE_OVERLAP_MS,
};
pub use crate::core::models::{
    known_fields, Attachment, Conversation, Cursors, Extra, GenericTemplate, ImageData, Message,
    Page, Paging, Participant, Reaction, ReplyTo, Share, Story, StoryRef, Tag, VideoData,
};
pub use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions, Platform,
};
pub use crate::core::proof::{app_secret_proof, AppSecretProof};
pub use crate::core::secret::Secret;
pub use crate::core::usage::{AppUsage, BusinessUseCaseUsage, Usage};
pub use crate::core::webhook::{
    parse_json_events, parse_webhook, reread_event, JsonEvent, ReactionAction, WebhookEvent,
    WebhookEventDetail, WebhookEventDetailOf, WebhookEventOf, WebhookOptions, WebhookReceiver,
    DEFAULT_MAX_BODY_BYTES,
};
pub use crate::sync::{InboxSync, SyncOptions, SyncProgress, SyncedConversation};
pub use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

#[cfg(not(target_arch = "wasm32"))]
pub use crate::native::ReqwestTransport;
