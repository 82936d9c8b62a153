//! Request building: each operation's options become a path and a query, validated first, with
//! no I/O. Serialising the query is the whole request; the transport only adds the host and auth.
//! The builders take the node path (`/{id}`) that `core::operations` validated.

use crate::core::error::GraphApiError;
use crate::core::fields::{ensure_fields, parse_fields, Field, FieldList};
use crate::core::ids::{path_segment, validate_id};
use crate::core::models::MESSAGE;
use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions, Platform,
};

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

    #[cfg(test)]
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

/// `/{id}`, validated and escaped; `what` names the argument in errors (`"pageId"`).
pub fn node_path(id: &str, what: &str) -> Result<String, GraphApiError> {
    Ok(format!("/{}", path_segment(validate_id(id, what)?)))
}

fn one_direction(after: &Option<String>, before: &Option<String>) -> Result<(), GraphApiError> {
    if after.is_some() && before.is_some() {
        return Err(GraphApiError::invalid_argument(
            "pass either after or before, not both",
        ));
    }
    Ok(())
}

/// `GET {node}/conversations`: one page of a Page's or Instagram account's threads.
pub fn list_conversations(
    node: &str,
    o: &ListConversationsOptions,
) -> Result<RequestSpec, GraphApiError> {
    let platform = require_platform(o.platform)?;
    one_direction(&o.after, &o.before)?;
    let user_id = match &o.user_id {
        Some(id) => Some(validate_id(id, "userId")?.to_owned()),
        None => None,
    };
    Ok(RequestSpec::new(format!("{node}/conversations"))
        .param("platform", Some(platform.as_str().to_owned()))
        .param("user_id", user_id)
        .param("folder", check_text("folder", &o.folder)?)
        .param("fields", Some(conversation_fields(&o.fields)?))
        .param("limit", check_limit(o.limit)?)
        .param("after", check_cursor("after", &o.after)?)
        .param("before", check_cursor("before", &o.before)?))
}

/// The first page of every thread: the list without a cursor or `user_id`.
pub fn conversations(node: &str, o: &ConversationsOptions) -> Result<RequestSpec, GraphApiError> {
    list_conversations(
        node,
        &ListConversationsOptions {
            platform: o.platform,
            folder: o.folder.clone(),
            limit: o.limit,
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

/// Find is the list filtered by `user_id`: Graph answers a page of at most one thread.
pub fn find_conversation(
    node: &str,
    o: &FindConversationOptions,
) -> Result<RequestSpec, GraphApiError> {
    list_conversations(
        node,
        &ListConversationsOptions {
            platform: o.platform,
            user_id: Some(o.user_id.clone()),
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

/// `GET {node}`: one thread.
pub fn get_conversation(node: &str, o: &GetOptions) -> Result<RequestSpec, GraphApiError> {
    Ok(RequestSpec::new(node.to_owned()).param("fields", Some(conversation_fields(&o.fields)?)))
}

/// `GET {node}/messages`: one page of a thread's messages, `id` and `created_time` by default.
pub fn list_messages(node: &str, o: &ListMessagesOptions) -> Result<RequestSpec, GraphApiError> {
    one_direction(&o.after, &o.before)?;
    Ok(RequestSpec::new(format!("{node}/messages"))
        .param(
            "fields",
            Some(message_fields(&o.fields, ["id", "created_time"])?),
        )
        .param("limit", check_limit(o.limit)?)
        .param("after", check_cursor("after", &o.after)?)
        .param("before", check_cursor("before", &o.before)?))
}

/// The first page of every message of a thread.
pub fn messages(node: &str, o: &MessagesOptions) -> Result<RequestSpec, GraphApiError> {
    list_messages(
        node,
        &ListMessagesOptions {
            limit: o.limit,
            fields: o.fields.clone(),
            ..Default::default()
        },
    )
}

/// `GET {node}`: one message, with every field the model knows (but legacy ones) by default.
pub fn get_message(node: &str, o: &GetOptions) -> Result<RequestSpec, GraphApiError> {
    Ok(RequestSpec::new(node.to_owned()).param(
        "fields",
        Some(message_fields(&o.fields, MESSAGE.requested_fields())?),
    ))
}
