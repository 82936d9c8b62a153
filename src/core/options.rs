//! The options of each operation, as Rust types; the TypeScript option types are generated from
//! them, and the JS option reader (`wasm::options`) is pinned to them by a test. Validation that
//! needs no I/O (platform names, ranges) lives here or in the request builders, never in a facade.

use serde::{Deserialize, Serialize};
use serde_with_macros::skip_serializing_none;

use crate::core::error::GraphApiError;

/// Which inbox of a Page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Platform {
    /// Messenger threads of a Page.
    Messenger,
    /// Instagram threads of a professional account (through its Page, or Instagram Login).
    Instagram,
}

impl Platform {
    /// The wire name, as Graph's `platform` parameter takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
        }
    }

    /// Parses a wire name; anything else is an `invalid_argument` naming `what`.
    pub fn parse(name: &str, what: &str) -> Result<Platform, GraphApiError> {
        match name {
            "messenger" => Ok(Platform::Messenger),
            "instagram" => Ok(Platform::Instagram),
            _ => Err(GraphApiError::invalid_argument(format!(
                "{what} must be \"messenger\" or \"instagram\""
            ))),
        }
    }
}

/// `listConversations(pageId, options)`: one page of a Page's or Instagram account's threads.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ListConversationsOptions {
    /// Which inbox: required (`None` is rejected as `invalid_argument`).
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// A PSID (Messenger) or IGSID (Instagram): only the thread with that person.
    pub user_id: Option<String>,
    /// Graph's `folder` (`inbox`, `other`, `page_done`, `pending`, `spam`).
    pub folder: Option<String>,
    /// Threads per page.
    pub limit: Option<i64>,
    /// The page after this cursor (`paging.cursors.after`).
    pub after: Option<String>,
    /// The page before this cursor (`paging.cursors.before`).
    pub before: Option<String>,
    /// Graph field names, nested expansion allowed: `"messages.limit(20){id,message}"`.
    pub fields: Option<Vec<String>>,
}

/// `conversations(pageId, options)`: every thread, page after page.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ConversationsOptions {
    /// Which inbox: required (`None` is rejected as `invalid_argument`).
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// Graph's `folder` (`inbox`, `other`, `page_done`, `pending`, `spam`).
    pub folder: Option<String>,
    /// Threads per request.
    pub limit: Option<i64>,
    /// Graph field names, nested expansion allowed.
    pub fields: Option<Vec<String>>,
}

/// `findConversation(pageId, options)`: the thread with one person, or `null`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct FindConversationOptions {
    /// Which inbox: required (`None` is rejected as `invalid_argument`).
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// The person's PSID (Messenger) or IGSID (Instagram).
    pub user_id: String,
    /// Graph field names, nested expansion allowed.
    pub fields: Option<Vec<String>>,
}

/// `getConversation(id, options)` and `getMessage(id, options)`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GetOptions {
    /// Graph field names, nested expansion allowed; `getMessage` asks for every documented
    /// message field when none are named.
    pub fields: Option<Vec<String>>,
}

/// `listMessages(conversationId, options)`: one page of a thread's messages, newest first.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ListMessagesOptions {
    /// Messages per page.
    pub limit: Option<i64>,
    /// The page after this cursor (`paging.cursors.after`).
    pub after: Option<String>,
    /// The page before this cursor (`paging.cursors.before`).
    pub before: Option<String>,
    /// Message fields (default `id`, `created_time`; details exist for the newest 20 only).
    pub fields: Option<Vec<String>>,
}

/// `messages(conversationId, options)`: every message of a thread, page after page.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MessagesOptions {
    /// Messages per request.
    pub limit: Option<i64>,
    /// Message fields (default `id`, `created_time`).
    pub fields: Option<Vec<String>>,
}
