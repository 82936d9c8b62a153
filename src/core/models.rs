//! The data Graph returns, with Graph's own wire names. Every object keeps the fields these types
//! do not know in `extra` (serialised back inline) and values of an unexpected shape in
//! `unparsed`, so nothing a newer Graph version sends is lost.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::lenient::{lenient_object, Lenient, ObjectReader};

/// Fields Graph added that these types do not know yet, kept as sent.
pub type Extra = Map<String, Value>;

/// A list Graph wraps as `{data: [...], paging}`: a page of an edge, or a nested list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Paging {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Cursors {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// A person or business in a thread: `name`/`email` on Messenger, `username` on Instagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Participant {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// A thread between the Page / Instagram account and one person.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Conversation {
    pub id: String,
    /// When the last message was added. Always requested by this client.
    pub updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_reply: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_owner: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Page<Participant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub senders: Option<Page<Participant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Page<Message>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// One message. Outside the newest 20 of a thread only `id` and `created_time` exist.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Message {
    pub id: String,
    /// Always requested by this client.
    pub created_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Participant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Page<Participant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Page<Attachment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shares: Option<Page<Share>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<Story>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Page<Reaction>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_unsupported: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Page<Tag>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sticker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Attachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<f64>,
    /// Signed CDN URLs expire; download what you need to keep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_data: Option<ImageData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_data: Option<VideoData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generic_template: Option<GenericTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ImageData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_height: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_as_sticker: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub animated_gif_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub animated_gif_preview_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct VideoData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_type: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GenericTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub cta: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// A shared post or product; Graph includes only its link or media URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Share {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// An Instagram story reply or mention.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Story {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<StoryRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mention: Option<StoryRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct StoryRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Reaction {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reaction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Participant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// Present on replies; `is_self_reply` when replying to one's own message.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ReplyTo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_self_reply: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Tag {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Extra>,
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

/// A list accepts `{data: [...]}` and, as real payloads sometimes send it, a bare array.
impl<T: Lenient> Lenient for Page<T> {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        let mut r = match v {
            Value::Array(_) => ObjectReader::new(serde_json::json!({ "data": v })),
            other => ObjectReader::new(other),
        };
        let Ok(r) = r.as_mut() else {
            return match r {
                Err(Value::Null) => (None, None),
                Err(other) => (None, Some(other)),
                Ok(_) => unreachable!(),
            };
        };
        let page = Page {
            data: r.req("data"),
            paging: r.opt("paging"),
            extra: r.extra(),
        };
        let rest = r.unparsed().map(Value::Object);
        (Some(page), rest)
    }
}

impl<'de, T: Lenient> serde::Deserialize<'de> for Page<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Page::from_value(Value::deserialize(d)?) {
            (Some(page), _) => Ok(page),
            _ => Err(serde::de::Error::custom("expected a {data: [...]} object")),
        }
    }
}

lenient_object!(Paging, |r| Paging {
    cursors: r.opt("cursors"),
    next: r.opt("next"),
    previous: r.opt("previous"),
});

lenient_object!(Cursors, |r| Cursors {
    before: r.opt("before"),
    after: r.opt("after"),
});

lenient_object!(Participant, |r| Participant {
    id: r.req("id"),
    name: r.opt("name"),
    email: r.opt("email"),
    username: r.opt("username"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Conversation, |r| Conversation {
    id: r.req("id"),
    updated_time: r.time("updated_time").unwrap_or_default(),
    link: r.opt("link"),
    snippet: r.opt("snippet"),
    message_count: r.opt("message_count"),
    unread_count: r.opt("unread_count"),
    can_reply: r.opt("can_reply"),
    is_owner: r.opt("is_owner"),
    participants: r.opt("participants"),
    senders: r.opt("senders"),
    messages: r.opt("messages"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Message, |r| Message {
    id: r.req("id"),
    created_time: r.time("created_time").unwrap_or_default(),
    from: r.opt("from"),
    to: r.opt("to"),
    message: r.opt("message"),
    attachments: r.opt("attachments"),
    shares: r.opt("shares"),
    story: r.opt("story"),
    reactions: r.opt("reactions"),
    reply_to: r.opt("reply_to"),
    is_unsupported: r.opt("is_unsupported"),
    tags: r.opt("tags"),
    sticker: r.opt("sticker"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Attachment, |r| Attachment {
    id: r.opt("id"),
    name: r.opt("name"),
    mime_type: r.opt("mime_type"),
    size: r.opt("size"),
    file_url: r.opt("file_url"),
    image_data: r.opt("image_data"),
    video_data: r.opt("video_data"),
    generic_template: r.opt("generic_template"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(ImageData, |r| ImageData {
    url: r.opt("url"),
    preview_url: r.opt("preview_url"),
    width: r.opt("width"),
    height: r.opt("height"),
    max_width: r.opt("max_width"),
    max_height: r.opt("max_height"),
    render_as_sticker: r.opt("render_as_sticker"),
    animated_gif_url: r.opt("animated_gif_url"),
    animated_gif_preview_url: r.opt("animated_gif_preview_url"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(VideoData, |r| VideoData {
    url: r.opt("url"),
    preview_url: r.opt("preview_url"),
    width: r.opt("width"),
    height: r.opt("height"),
    length: r.opt("length"),
    video_type: r.opt("video_type"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(GenericTemplate, |r| GenericTemplate {
    title: r.opt("title"),
    subtitle: r.opt("subtitle"),
    media_url: r.opt("media_url"),
    cta: r.opt("cta"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Share, |r| Share {
    id: r.opt("id"),
    link: r.opt("link"),
    name: r.opt("name"),
    description: r.opt("description"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Story, |r| Story {
    reply_to: r.opt("reply_to"),
    mention: r.opt("mention"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(StoryRef, |r| StoryRef {
    link: r.opt("link"),
    id: r.opt("id"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Reaction, |r| Reaction {
    reaction: r.opt("reaction"),
    users: r.opt("users"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(ReplyTo, |r| ReplyTo {
    mid: r.opt("mid"),
    is_self_reply: r.opt("is_self_reply"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

lenient_object!(Tag, |r| Tag {
    name: r.opt("name"),
    unparsed: r.unparsed(),
    extra: r.extra(),
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_the_documented_instagram_message() {
        let m: Message = serde_json::from_value(json!({
            "id": "aWdGGiblWZ",
            "created_time": "2022-07-12T19:11:07+0000",
            "to": {"data": [{"username": "biz", "id": "1784"}]},
            "from": {"username": "kitty", "id": "1785"},
            "message": "Hi Kitty!",
            "reply_to": {"mid": "aWdm", "is_self_reply": true}
        }))
        .unwrap();
        assert_eq!(m.from.unwrap().username.as_deref(), Some("kitty"));
        assert_eq!(m.to.unwrap().data[0].id, "1784");
        assert_eq!(m.reply_to.unwrap().is_self_reply, Some(true));
        assert!(m.unparsed.is_none() && m.extra.is_empty());
    }

    #[test]
    fn odd_fields_are_kept_not_fatal() {
        let c: Conversation = serde_json::from_value(json!({
            "id": 12345,
            "updated_time": 1657653067,
            "message_count": "7",
            "unread_count": "lots",
            "can_reply": null,
            "participants": [{"id": "1", "name": "A"}, "ghost"],
            "wallpaper": "https://example.com/w.png",
            "messages": {"data": [{"id": "m_1", "created_time": "2022-07-12T19:11:07+0000",
                                   "attachments": {"data": [{"image_data": {"url": "u", "width": "64"}}]}}]}
        }))
        .unwrap();
        assert_eq!(c.id, "12345");
        assert_eq!(c.updated_time, "2022-07-12T19:11:07+0000");
        assert_eq!(c.message_count, Some(7));
        assert_eq!(c.unread_count, None);
        assert_eq!(c.can_reply, None);
        let unparsed = c.unparsed.as_ref().unwrap();
        assert_eq!(unparsed["unread_count"], json!("lots"));
        assert_eq!(unparsed["participants"], json!({"data": ["ghost"]}));
        assert_eq!(c.participants.as_ref().unwrap().data[0].name.as_deref(), Some("A"));
        assert_eq!(c.extra["wallpaper"], json!("https://example.com/w.png"));
        let image = c.messages.as_ref().unwrap().data[0].attachments.as_ref().unwrap().data[0]
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
    fn a_page_needs_an_object_or_a_list() {
        let page: Page<Conversation> =
            serde_json::from_str(r#"{"data":[{"id":"t_1","updated_time":"2026-01-01T00:00:00+0000"}],"paging":{"cursors":{"after":"QVFI"},"next":"https://graph.facebook.com/x"}}"#).unwrap();
        assert_eq!(page.data.len(), 1);
        assert_eq!(page.paging.unwrap().cursors.unwrap().after.as_deref(), Some("QVFI"));
        assert!(serde_json::from_str::<Page<Conversation>>("\"nope\"").is_err());
        assert!(serde_json::from_str::<Conversation>("[1]").is_err());
    }
}
