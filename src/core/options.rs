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
    Messenger,
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
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// A PSID (Messenger) or IGSID (Instagram): only the thread with that person.
    pub user_id: Option<String>,
    pub folder: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
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
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    pub folder: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    pub fields: Option<Vec<String>>,
}

/// `findConversation(pageId, options)`: the thread with one person, or `null`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct FindConversationOptions {
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    pub user_id: String,
    pub fields: Option<Vec<String>>,
}

/// `getConversation(id, options)` and `getMessage(id, options)`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GetOptions {
    pub fields: Option<Vec<String>>,
}

/// `listMessages(conversationId, options)`: one page of a thread's messages, newest first.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ListMessagesOptions {
    pub limit: Option<i64>,
    pub after: Option<String>,
    pub before: Option<String>,
    pub fields: Option<Vec<String>>,
}

/// `messages(conversationId, options)`: every message of a thread, page after page.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MessagesOptions {
    pub limit: Option<i64>,
    pub fields: Option<Vec<String>>,
}
