//! The simulator's own catalogue of the Graph fields it knows, per object type, and the check
//! a `fields` selection goes through. It is declared apart from the client crate on purpose: a
//! test there can compare the two lists only if neither is derived from the other.

use crate::data::Account;
use crate::errors::GraphError;
use crate::fields::Field;

/// The fields a conversation (Graph's `UnifiedThread`) knows. The ones without data here are
/// accepted and, as Graph does for empty fields, never returned.
pub const THREAD_FIELDS: &[&str] = &[
    "id",
    "updated_time",
    "link",
    "snippet",
    "message_count",
    "unread_count",
    "can_reply",
    "participants",
    "senders",
    "messages",
    "is_owner",
    "folder",
    "former_participants",
    "is_subscribed",
    "name",
    "scoped_thread_key",
    "subject",
    "wallpaper",
];

pub const MESSAGE_FIELDS: &[&str] = &[
    "id",
    "created_time",
    "from",
    "to",
    "message",
    "attachments",
    "shares",
    "story",
    "reactions",
    "reply_to",
    "is_unsupported",
    "tags",
    "sticker",
];

const PAGE_FIELDS: &[&str] = &["id", "name"];
const IG_ACCOUNT_FIELDS: &[&str] = &["id", "username", "user_id"];

pub const DEFAULT_THREAD: &[&str] = &["id", "updated_time"];
pub const DEFAULT_MESSAGE: &[&str] = &["id", "created_time"];

/// Every object type of a conversation with the fields the simulator writes, named as the
/// client crate names its models. Only `Conversation` and `Message` fields can be asked for by
/// name; the others come whole, or narrowed with `{...}`.
const OBJECTS: &[(&str, &[&str])] = &[
    ("Conversation", THREAD_FIELDS),
    ("Message", MESSAGE_FIELDS),
    ("Participant", &["id", "name", "email", "username"]),
    (
        "Attachment",
        &[
            "id",
            "mime_type",
            "name",
            "size",
            "image_data",
            "video_data",
            "file_url",
        ],
    ),
    (
        "ImageData",
        &[
            "url",
            "preview_url",
            "width",
            "height",
            "max_width",
            "max_height",
        ],
    ),
    ("VideoData", &["url", "preview_url", "width", "height"]),
    ("Share", &["link", "name", "description", "id"]),
    ("Story", &["reply_to", "mention"]),
    ("StoryRef", &["link", "id"]),
    ("Reaction", &["reaction", "users"]),
    ("ReplyTo", &["mid", "is_self_reply"]),
    ("Tag", &["name"]),
];

/// Per object type (`"Conversation"`, `"Message"`, `"Participant"`, `"Attachment"`, ...), the
/// field names the simulator knows.
pub fn known_fields() -> Vec<(&'static str, Vec<&'static str>)> {
    OBJECTS.iter().map(|(o, f)| (*o, f.to_vec())).collect()
}

/// An object type whose fields a request can name.
#[derive(Debug, Clone, Copy)]
pub enum Node {
    Account(Account),
    Thread,
    Message,
}

impl Node {
    fn known(self) -> &'static [&'static str] {
        match self {
            Node::Account(Account::Page(_)) => PAGE_FIELDS,
            Node::Account(Account::Instagram) => IG_ACCOUNT_FIELDS,
            Node::Thread => THREAD_FIELDS,
            Node::Message => MESSAGE_FIELDS,
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            Node::Account(a) => a.node_type(),
            Node::Thread => "UnifiedThread",
            Node::Message => "Message",
        }
    }
}

/// Rejects a field the node type does not have (Graph's error 100), looking into `messages{...}`.
pub fn validate(fields: &[Field], node: Node) -> Result<(), GraphError> {
    for f in fields {
        if !node.known().contains(&f.name.as_str()) {
            return Err(GraphError::nonexisting_field(&f.name, node.type_name()));
        }
        if let (Node::Thread, "messages", Some(sub)) = (node, f.name.as_str(), &f.sub) {
            validate(sub, Node::Message)?;
        }
    }
    Ok(())
}

/// The static name of a validated field, so objects can use it as a key.
pub fn key(name: &str, node: Node) -> Option<&'static str> {
    node.known().iter().copied().find(|k| *k == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::data::Dataset;
    use crate::fields;
    use crate::ids::{Inbox, ThreadRef};
    use crate::paging::Links;
    use crate::query::Query;
    use crate::render::Cx;
    use crate::store::Overlay;

    /// The object type a field's value holds, where it holds one.
    fn object_of(object: &str, field: &str) -> Option<&'static str> {
        Some(match (object, field) {
            ("Conversation", "participants" | "senders") => "Participant",
            ("Conversation", "messages") => "Message",
            ("Message", "from" | "to") | ("Reaction", "users") => "Participant",
            ("Message", "attachments") => "Attachment",
            ("Message", "shares") => "Share",
            ("Message", "story") => "Story",
            ("Message", "reactions") => "Reaction",
            ("Message", "reply_to") => "ReplyTo",
            ("Message", "tags") => "Tag",
            ("Attachment", "image_data") => "ImageData",
            ("Attachment", "video_data") => "VideoData",
            ("Story", "reply_to" | "mention") => "StoryRef",
            _ => return None,
        })
    }

    /// Checks every key of `value` (an `object`, a list of them, or a `{data: [...]}` page)
    /// against the catalogue, and notes which object types were seen.
    fn check(object: &'static str, value: &Value, seen: &mut BTreeSet<&'static str>) {
        let known = known_fields();
        let items = match value {
            Value::Array(items) => items.clone(),
            Value::Object(o) => match o.get("data") {
                Some(Value::Array(items)) => items.clone(),
                _ => vec![value.clone()],
            },
            _ => panic!("{object} is not an object: {value}"),
        };
        let (_, fields) = known.iter().find(|(o, _)| *o == object).unwrap();
        for item in &items {
            seen.insert(object);
            for (k, v) in item.as_object().unwrap() {
                assert!(
                    fields.contains(&k.as_str()),
                    "{object}.{k} is not catalogued"
                );
                if let Some(inner) = object_of(object, k) {
                    check(inner, v, seen);
                }
            }
        }
    }

    #[test]
    fn everything_rendered_is_in_the_catalogue() {
        let ds = Dataset::fixed(7, 60, 60, (20, 30));
        let overlay = Overlay::default();
        let query = Query::parse(None);
        let links = Links {
            origin: "http://sim".into(),
            prefix: "",
            path: "/me/conversations",
            token: "t",
            query: &query,
        };
        let cx = Cx {
            ds: &ds,
            overlay: &overlay,
            detail_window: 20,
            max_limit: 100,
            links: &links,
        };
        // `messages` once, with every message field.
        let thread_fields: Vec<&str> = THREAD_FIELDS
            .iter()
            .copied()
            .filter(|f| *f != "messages")
            .collect();
        let selection = format!(
            "{},messages.limit(30){{{}}}",
            thread_fields.join(","),
            MESSAGE_FIELDS.join(",")
        );
        let fields = fields::parse(&selection).unwrap();
        let mut seen = BTreeSet::new();
        for inbox in Inbox::ALL {
            for index in 0..60 {
                let view = overlay.view(
                    &ds,
                    ThreadRef {
                        page: 0,
                        inbox,
                        index,
                    },
                );
                let thread = cx.thread(&view, &fields).unwrap();
                let json: Value = serde_json::from_slice(&thread.to_bytes()).unwrap();
                check("Conversation", &json, &mut seen);
            }
        }
        let all: BTreeSet<_> = known_fields().into_iter().map(|(o, _)| o).collect();
        assert_eq!(seen, all, "the sample data shows every object type");
    }
}
