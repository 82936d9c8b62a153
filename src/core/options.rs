//! The options of each operation, as Rust types; the TypeScript option types are generated from
//! them, and the JS option reader (`wasm::options`) is pinned to them by a test. Validation that
//! needs no I/O (platform names, ranges) lives here or in the request builders, never in a facade.

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ListConversationsOptions {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// A PSID (Messenger) or IGSID (Instagram): only the thread with that person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Graph field names, nested expansion allowed: `"messages.limit(20){id,message}"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}

/// `conversations(pageId, options)`: every thread, page after page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ConversationsOptions {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}

/// `findConversation(pageId, options)`: the thread with one person, or `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct FindConversationOptions {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}

/// `getConversation(id, options)` and `getMessage(id, options)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GetOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}

/// `listMessages(conversationId, options)`: one page of a thread's messages, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ListMessagesOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}

/// `messages(conversationId, options)`: every message of a thread, page after page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MessagesOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
}
