//! Request building: each operation's options become a path and a query, validated first, with
//! no I/O. Serialising the query is the whole request; the transport only adds the host and auth.

use serde::{Deserialize, Serialize};

use crate::core::error::GraphApiError;
use crate::core::fields::{ensure_fields, parse_fields, Field, FieldList};
use crate::core::ids::{path_segment, validate_id};
use crate::core::models::MESSAGE;

/// Which inbox of a Page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Platform {
    Messenger,
    Instagram,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
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

/// A GET against Graph, relative to `baseUrl/apiVersion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// Starts with `/`; every segment already validated and escaped.
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl RequestSpec {
    fn new(path: String) -> Self {
        RequestSpec {
            path,
            query: Vec::new(),
        }
    }

    fn param(mut self, key: &str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.set(key, value);
        }
        self
    }

    pub fn set(&mut self, key: &str, value: String) {
        match self.query.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.query.push((key.to_owned(), value)),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.query.retain(|(k, _)| k != key);
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `path?query`, percent-encoded.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }
}

/// Encodes a query key or value (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(s: &str) -> String {
    const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b',')
        .remove(b'(')
        .remove(b')')
        .remove(b'{')
        .remove(b'}');
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

fn check_limit(limit: Option<i64>) -> Result<Option<String>, GraphApiError> {
    match limit {
        Some(n) if n <= 0 => Err(GraphApiError::invalid_argument(format!(
            "limit must be a positive whole number, got {n}"
        ))),
        Some(n) if n > 10_000 => Err(GraphApiError::invalid_argument(format!(
            "limit must be at most 10000, got {n}"
        ))),
        other => Ok(other.map(|n| n.to_string())),
    }
}

fn check_cursor(name: &str, cursor: &Option<String>) -> Result<Option<String>, GraphApiError> {
    match cursor {
        Some(c) if c.is_empty() || c.chars().any(char::is_control) => Err(
            GraphApiError::invalid_argument(format!("{name} must be a cursor Graph returned")),
        ),
        other => Ok(other.clone()),
    }
}

fn check_text(name: &str, value: &Option<String>) -> Result<Option<String>, GraphApiError> {
    match value {
        Some(v) if v.trim().is_empty() || v.chars().any(char::is_control) => Err(
            GraphApiError::invalid_argument(format!("{name} must be a non-empty string")),
        ),
        other => Ok(other.clone()),
    }
}

fn require_platform(platform: Option<Platform>) -> Result<Platform, GraphApiError> {
    platform.ok_or_else(|| {
        GraphApiError::invalid_argument("platform is required: \"messenger\" or \"instagram\"")
    })
}

/// Conversation fields, with `id` and `updated_time` always present (the types promise them)
/// and `id`, `created_time` in any nested `messages{...}`.
pub fn conversation_fields(fields: &Option<Vec<String>>) -> Result<String, GraphApiError> {
    let mut parsed = match fields {
        Some(items) => parse_fields(items)?,
        None => Vec::new(),
    };
    ensure_fields(&mut parsed, &["id", "updated_time"]);
    for field in parsed.iter_mut().filter(|f| f.name == "messages") {
        if let Some(children) = field.children.as_mut() {
            ensure_fields(children, &["id", "created_time"]);
        }
    }
    Ok(FieldList(&parsed).to_string())
}

/// Message fields, with `id` and `created_time` always present.
pub fn message_fields<'a>(
    fields: &Option<Vec<String>>,
    default: impl IntoIterator<Item = &'a str>,
) -> Result<String, GraphApiError> {
    let mut parsed = match fields {
        Some(items) => parse_fields(items)?,
        None => default.into_iter().map(Field::new).collect(),
    };
    ensure_fields(&mut parsed, &["id", "created_time"]);
    Ok(FieldList(&parsed).to_string())
}

fn node_path(id: &str, what: &str) -> Result<String, GraphApiError> {
    Ok(format!("/{}", path_segment(validate_id(id, what)?)))
}

pub fn list_conversations(
    page_id: &str,
    o: &ListConversationsOptions,
) -> Result<RequestSpec, GraphApiError> {
    let platform = require_platform(o.platform)?;
    if o.after.is_some() && o.before.is_some() {
        return Err(GraphApiError::invalid_argument(
            "pass either after or before, not both",
        ));
    }
    let user_id = match &o.user_id {
        Some(id) => Some(validate_id(id, "userId")?.to_owned()),
        None => None,
    };
    Ok(
        RequestSpec::new(format!("{}/conversations", node_path(page_id, "pageId")?))
            .param("platform", Some(platform.as_str().to_owned()))
            .param("user_id", user_id)
            .param("folder", check_text("folder", &o.folder)?)
            .param("fields", Some(conversation_fields(&o.fields)?))
            .param("limit", check_limit(o.limit)?)
            .param("after", check_cursor("after", &o.after)?)
            .param("before", check_cursor("before", &o.before)?),
    )
}

pub fn conversations(
    page_id: &str,
    o: &ConversationsOptions,
) -> Result<RequestSpec, GraphApiError> {
    list_conversations(
        page_id,
        &ListConversationsOptions {
            platform: o.platform,
            folder: o.folder.clone(),
            limit: o.limit,
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

pub fn find_conversation(
    page_id: &str,
    o: &FindConversationOptions,
) -> Result<RequestSpec, GraphApiError> {
    list_conversations(
        page_id,
        &ListConversationsOptions {
            platform: o.platform,
            user_id: Some(o.user_id.clone()),
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

pub fn get_conversation(id: &str, o: &GetOptions) -> Result<RequestSpec, GraphApiError> {
    Ok(RequestSpec::new(node_path(id, "conversationId")?)
        .param("fields", Some(conversation_fields(&o.fields)?)))
}

pub fn list_messages(id: &str, o: &ListMessagesOptions) -> Result<RequestSpec, GraphApiError> {
    if o.after.is_some() && o.before.is_some() {
        return Err(GraphApiError::invalid_argument(
            "pass either after or before, not both",
        ));
    }
    Ok(
        RequestSpec::new(format!("{}/messages", node_path(id, "conversationId")?))
            .param(
                "fields",
                Some(message_fields(&o.fields, ["id", "created_time"])?),
            )
            .param("limit", check_limit(o.limit)?)
            .param("after", check_cursor("after", &o.after)?)
            .param("before", check_cursor("before", &o.before)?),
    )
}

pub fn messages(id: &str, o: &MessagesOptions) -> Result<RequestSpec, GraphApiError> {
    list_messages(
        id,
        &ListMessagesOptions {
            limit: o.limit,
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

pub fn get_message(id: &str, o: &GetOptions) -> Result<RequestSpec, GraphApiError> {
    Ok(RequestSpec::new(node_path(id, "messageId")?).param(
        "fields",
        Some(message_fields(&o.fields, MESSAGE.requested_fields())?),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    fn list(page: &str, o: ListConversationsOptions) -> Result<String, GraphApiError> {
        list_conversations(page, &o).map(|s| s.path_and_query())
    }

    #[test]
    fn list_conversations_query_is_exact() {
        let q = list(
            "106000000000001",
            ListConversationsOptions {
                platform: Some(Platform::Instagram),
                limit: Some(50),
                after: Some("QVFIU+/=".into()),
                fields: Some(vec![
                    "participants".into(),
                    "messages.limit(20){message}".into(),
                ]),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            q,
            "/106000000000001/conversations?platform=instagram\
             &fields=id,updated_time,participants,messages.limit(20){id,created_time,message}\
             &limit=50&after=QVFIU%2B%2F%3D"
        );
    }

    #[test]
    fn find_uses_user_id_and_always_asks_for_updated_time() {
        let spec = find_conversation(
            "me",
            &FindConversationOptions {
                platform: Some(Platform::Messenger),
                user_id: "24000000000000001".into(),
                fields: None,
            },
        )
        .unwrap();
        assert_eq!(
            spec.path_and_query(),
            "/me/conversations?platform=messenger&user_id=24000000000000001&fields=id,updated_time"
        );
    }

    #[test]
    fn message_requests_use_documented_defaults() {
        let spec = get_message("m_1", &GetOptions::default()).unwrap();
        assert_eq!(
            spec.get("fields"),
            Some(
                "id,created_time,from,to,message,attachments,shares,story,reactions,reply_to,\
                 is_unsupported,tags"
            )
        );
        let spec = list_messages("t_1", &ListMessagesOptions::default()).unwrap();
        assert_eq!(
            spec.path_and_query(),
            "/t_1/messages?fields=id,created_time"
        );
    }

    #[test]
    fn bad_input_is_rejected_before_any_request() {
        let bad: Vec<Result<RequestSpec, GraphApiError>> = vec![
            list_conversations(
                "a/b",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    ..Default::default()
                },
            ),
            list_conversations("me", &ListConversationsOptions::default()),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    limit: Some(0),
                    ..Default::default()
                },
            ),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    limit: Some(-3),
                    ..Default::default()
                },
            ),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    user_id: Some("1 2".into()),
                    ..Default::default()
                },
            ),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    after: Some("a".into()),
                    before: Some("b".into()),
                    ..Default::default()
                },
            ),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    after: Some(String::new()),
                    ..Default::default()
                },
            ),
            list_conversations(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    fields: Some(vec!["messages{".into()]),
                    ..Default::default()
                },
            ),
            get_conversation("..", &GetOptions::default()),
            get_message("m_1?x", &GetOptions::default()),
            list_messages("", &ListMessagesOptions::default()),
            get_message(
                "m_1",
                &GetOptions {
                    fields: Some(vec![]),
                },
            ),
        ];
        for (i, result) in bad.into_iter().enumerate() {
            assert_eq!(
                result.unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "case {i}"
            );
        }
    }
}
