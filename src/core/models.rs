//! The data Graph returns, with Graph's own wire names. Every object keeps the fields these types
//! do not know in `extra` (serialised back inline) and values of an unexpected shape in
//! `unparsed`, so nothing a newer Graph version sends is lost. Responses are normalised by
//! `core::schema` first, so these plain derives never see a value of the wrong type. Absent
//! values are left out when serialising (`skip_serializing_none`), as Graph leaves them out.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with_macros::skip_serializing_none;

/// Fields Graph added that these types do not know yet, kept as sent.
pub type Extra = Map<String, Value>;

/// A list Graph wraps as `{data: [...], paging}`: a page of an edge, or a nested list.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            data: Vec::new(),
            paging: None,
            extra: Extra::new(),
        }
    }
}

/// Graph's paging block. URLs handed to callers never contain the access token.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Paging {
    pub cursors: Option<Cursors>,
    pub next: Option<String>,
    pub previous: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Cursors {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A person or business in a thread: `name`/`email` on Messenger, `username` on Instagram.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Participant {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// A thread between the Page / Instagram account and one person.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Conversation {
    pub id: String,
    /// When the last message was added. Always requested by this client.
    pub updated_time: String,
    pub link: Option<String>,
    pub snippet: Option<String>,
    pub message_count: Option<i64>,
    pub unread_count: Option<i64>,
    pub can_reply: Option<bool>,
    pub is_owner: Option<bool>,
    pub participants: Option<Page<Participant>>,
    pub senders: Option<Page<Participant>>,
    pub messages: Option<Page<Message>>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// One message. Outside the newest 20 of a thread only `id` and `created_time` exist.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Message {
    pub id: String,
    /// Always requested by this client.
    pub created_time: String,
    pub from: Option<Participant>,
    pub to: Option<Page<Participant>>,
    pub message: Option<String>,
    pub attachments: Option<Page<Attachment>>,
    pub shares: Option<Page<Share>>,
    pub story: Option<Story>,
    pub reactions: Option<Page<Reaction>>,
    pub reply_to: Option<ReplyTo>,
    pub is_unsupported: Option<bool>,
    pub tags: Option<Page<Tag>>,
    pub sticker: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Attachment {
    pub id: Option<String>,
    pub name: Option<String>,
    pub mime_type: Option<String>,
    pub size: Option<f64>,
    /// Signed CDN URLs expire; download what you need to keep.
    pub file_url: Option<String>,
    pub image_data: Option<ImageData>,
    pub video_data: Option<VideoData>,
    pub generic_template: Option<GenericTemplate>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ImageData {
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub max_width: Option<f64>,
    pub max_height: Option<f64>,
    pub render_as_sticker: Option<bool>,
    pub animated_gif_url: Option<String>,
    pub animated_gif_preview_url: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct VideoData {
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub length: Option<f64>,
    pub video_type: Option<f64>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GenericTemplate {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub media_url: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub cta: Option<Value>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// A shared post or product; Graph includes only its link or media URL.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Share {
    pub id: Option<String>,
    pub link: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// An Instagram story reply or mention.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Story {
    pub reply_to: Option<StoryRef>,
    pub mention: Option<StoryRef>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct StoryRef {
    pub link: Option<String>,
    pub id: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Reaction {
    pub reaction: Option<String>,
    pub users: Option<Vec<Participant>>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// Present on replies; `is_self_reply` when replying to one's own message.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ReplyTo {
    pub mid: Option<String>,
    pub is_self_reply: Option<bool>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Tag {
    pub name: Option<String>,
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// Normalises raw Graph JSON with `schema` and decodes it into a model.
pub fn decode<T: serde::de::DeserializeOwned>(
    mut value: Value,
    schema: &crate::core::schema::Schema,
) -> Option<T> {
    if !crate::core::schema::normalize(&mut value, schema) {
        return None;
    }
    serde_json::from_value(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema::{CONVERSATION, MESSAGE};
    use serde_json::json;

    #[test]
    fn decodes_the_documented_instagram_message() {
        let m: Message = decode(
            json!({
                "id": "aWdGGiblWZ",
                "created_time": "2022-07-12T19:11:07+0000",
                "to": {"data": [{"username": "biz", "id": "1784"}]},
                "from": {"username": "kitty", "id": "1785"},
                "message": "Hi Kitty!",
                "reply_to": {"mid": "aWdm", "is_self_reply": true}
            }),
            &MESSAGE,
        )
        .unwrap();
        assert_eq!(m.from.unwrap().username.as_deref(), Some("kitty"));
        assert_eq!(m.to.unwrap().data[0].id, "1784");
        assert_eq!(m.reply_to.unwrap().is_self_reply, Some(true));
        assert!(m.unparsed.is_none() && m.extra.is_empty());
    }

    #[test]
    fn odd_fields_are_kept_not_fatal() {
        let c: Conversation = decode(
            json!({
                "id": 12345,
                "updated_time": 1657653067,
                "message_count": "7",
                "unread_count": "lots",
                "can_reply": null,
                "participants": [{"id": "1", "name": "A"}, "ghost"],
                "wallpaper": "https://example.com/w.png",
                "messages": {"data": [{"id": "m_1", "created_time": "2022-07-12T19:11:07+0000",
                             "attachments": {"data": [{"image_data": {"url": "u", "width": "64"}}]}}]}
            }),
            &CONVERSATION,
        )
        .unwrap();
        assert_eq!(c.id, "12345");
        assert_eq!(c.updated_time, "2022-07-12T19:11:07+0000");
        assert_eq!(c.message_count, Some(7));
        assert_eq!(c.unread_count, None);
        assert_eq!(c.unparsed.as_ref().unwrap()["unread_count"], json!("lots"));
        let participants = c.participants.as_ref().unwrap();
        assert_eq!(participants.data[0].name.as_deref(), Some("A"));
        assert_eq!(participants.extra["unparsed"], json!({"data": ["ghost"]}));
        assert_eq!(c.extra["wallpaper"], json!("https://example.com/w.png"));
        let message = &c.messages.as_ref().unwrap().data[0];
        let image = message.attachments.as_ref().unwrap().data[0]
            .image_data
            .clone()
            .unwrap();
        assert_eq!(image.width, Some(64.0));

        // Serialising keeps unknown fields inline, as Graph sent them.
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["wallpaper"], json!("https://example.com/w.png"));
        assert_eq!(back["message_count"], json!(7));
        assert!(back.get("can_reply").is_none());
    }

    #[test]
    fn non_objects_do_not_decode() {
        assert!(decode::<Conversation>(json!([1]), &CONVERSATION).is_none());
    }
}
