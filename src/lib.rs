//! Typed client for Meta's Conversations API: Messenger and Instagram threads through the Graph
//! API. The same operations serve Rust code (over any [`Transport`]; `FetchTransport` in wasm)
//! and, through the wasm facade, every JS runtime.
//!
//! The [`core`] module does no I/O: request building, models, paging, error classification,
//! retry and pacing decisions, and the sync planner, all testable with plain `cargo test`.

// `GraphApiError` is ~130 bytes of plain fields users read directly; failures are rare next to
// the network round trip, so boxing it would cost ergonomics for nothing measurable.
#![allow(clippy::result_large_err)]

pub mod client;
pub mod core;
pub mod sync;
pub mod transport;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub use crate::wasm::__test_support;
#[cfg(target_arch = "wasm32")]
pub use crate::wasm::{ConversationsClient, FetchTransport};

pub use crate::client::{Client, ClientOptions, Paginated, TokenTransport, DEFAULT_API_VERSION};
pub use crate::core::error::{ErrorKind, GraphApiError};
pub use crate::core::models::*;
pub use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions, Platform,
};
pub use crate::core::proof::{app_secret_proof, AppSecretProof};
pub use crate::core::secret::Secret;
pub use crate::core::usage::Usage;
pub use crate::sync::{InboxSync, SyncOptions, SyncProgress, SyncedConversation};
pub use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

#[cfg(not(target_arch = "wasm32"))]
pub use crate::native::ReqwestTransport;
