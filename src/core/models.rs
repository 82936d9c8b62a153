//! The data Graph returns, with Graph's own wire names, each object declared once with
//! [`graph_object!`]: the struct, its lenient-decoding schema ([`Schema`]) and its field names
//! come from the same lines, so a field cannot be typed without being decoded leniently.
//!
//! Every object keeps the fields these types do not know in `extra` (serialised back inline) and
//! values of an unexpected shape in `unparsed`, so nothing a newer Graph version sends is lost.
//! Responses are normalised by `core::schema` first, so these plain derives never see a value of
//! the wrong type. Absent values are left out when serialising (`skip_serializing_none`), as
//! Graph leaves them out.
//!
//! Long on purpose: every Graph object is declared here, one block each, so one file lists them all.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with_macros::skip_serializing_none;

use crate::core::schema::{FieldSpec, Kind, Schema};

/// Fields Graph added that these types do not know yet, kept as sent.
pub type Extra = Map<String, Value>;

/// A Graph object type: its schema drives lenient decoding and the fast-path check.
#[cfg(test)]
pub(crate) trait GraphObject {
    /// The known fields of this type.
    fn schema() -> &'static Schema;
}

/// Declares a Graph object once. Each field is `name: RustType => Kind` (a [`Kind`] variant,
/// with its argument), optionally followed by `[legacy]` for a field that is decoded when Graph
/// sends it but never asked for by default (it is not on the current reference). Emits the
/// struct with `unparsed` and `extra`, a `static` schema named after the second identifier, and
/// the [`GraphObject`] impl.
macro_rules! graph_object {
    (
        $(#[$attr:meta])*
        $name:ident, $schema:ident {
            $(
                $(#[$field_attr:meta])*
                $field:ident : $ty:ty => $kind:ident $(($arg:expr))? $([$flag:ident])?
            ),* $(,)?
        }
    ) => {
        #[skip_serializing_none]
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        $(#[$attr])*
        pub struct $name {
            $( $(#[$field_attr])* pub $field: $ty, )*
            /// Values of known fields that had an unexpected shape, as Graph sent them.
            pub unparsed: Option<Extra>,
            /// Fields these types do not know yet, as Graph sent them.
            #[serde(flatten)]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
            pub extra: Extra,
        }

        #[doc = concat!("The schema of [`", stringify!($name), "`].")]
        pub static $schema: Schema = Schema {
            object: stringify!($name),
            fields: &[$(FieldSpec {
                name: stringify!($field),
                kind: Kind::$kind $(($arg))?,
                requested: graph_object!(@requested $($flag)?),
            }),*],
        };

        #[cfg(test)]
        impl GraphObject for $name {
            fn schema() -> &'static Schema {
                &$schema
            }
        }
    };
    (@requested) => { true };
    (@requested legacy) => { false };
}

/// A list Graph wraps as `{data: [...], paging}`: a page of an edge, or a nested list.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Cursors and links to the neighbouring pages.
    #[serde(default)]
    pub paging: Option<Paging>,
    /// Fields these types do not know yet, as Graph sent them.
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

graph_object! {
    /// Graph's paging block. URLs handed to callers never contain the access token.
    #[serde(default)]
    Paging, PAGING {
        /// Opaque cursors of this page's first and last item.
        cursors: Option<Cursors> => Obj(&CURSORS),
        /// The next page (this client pages by cursor against `baseUrl`, never by this URL).
        next: Option<String> => Str,
        /// The previous page.
        previous: Option<String> => Str,
    }
}

graph_object! {
    /// Opaque page cursors.
    #[serde(default)]
    Cursors, CURSORS {
        /// Before the first item of the page.
        before: Option<String> => Str,
        /// After the last item of the page.
        after: Option<String> => Str,
    }
}

graph_object! {
    /// A person or business in a thread: `name`/`email` on Messenger, `username` on Instagram.
    Participant, PARTICIPANT {
        /// The PSID (Messenger), IGSID (Instagram) or the Page / account id.
        id: String => RequiredStr,
        /// Messenger display name.
        name: Option<String> => Str,
        /// Messenger: a relay address, when Graph shares one.
        email: Option<String> => Str,
        /// Instagram handle.
        username: Option<String> => Str,
    }
}

graph_object! {
    /// A thread between the Page / Instagram account and one person.
    Conversation, CONVERSATION {
        /// The conversation id (`t_...` on Messenger, base64-like on Instagram).
        id: String => RequiredStr,
        /// When the last message was added. Always requested by this client.
        updated_time: String => RequiredTime,
        /// The thread in the Page inbox (Messenger).
        link: Option<String> => Str,
        /// The newest message's text, shortened.
        snippet: Option<String> => Str,
        /// Messages in the thread.
        message_count: Option<i64> => Int,
        /// Messages the Page has not read.
        unread_count: Option<i64> => Int,
        /// Whether the Page may still reply.
        can_reply: Option<bool> => Bool,
        /// Whether the Page owns the thread.
        is_owner: Option<bool> => Bool,
        /// Everyone in the thread, the Page or account included.
        participants: Option<Page<Participant>> => Page(&PARTICIPANT),
        /// Who has sent messages.
        senders: Option<Page<Participant>> => Page(&PARTICIPANT),
        /// Nested messages, newest first, when requested (`messages.limit(n){...}`).
        messages: Option<Page<Message>> => Page(&MESSAGE),
    }
}

graph_object! {
    /// One message. Outside the newest 20 of a thread only `id` and `created_time` exist.
    Message, MESSAGE {
        /// The message id (`m_...` on Messenger; the webhook `mid`).
        id: String => RequiredStr,
        /// When it was sent. Always requested by this client.
        created_time: String => RequiredTime,
        /// The sender.
        from: Option<Participant> => Obj(&PARTICIPANT),
        /// The recipients.
        to: Option<Page<Participant>> => Page(&PARTICIPANT),
        /// The text.
        message: Option<String> => Str,
        /// Files, images, videos and templates.
        attachments: Option<Page<Attachment>> => Page(&ATTACHMENT),
        /// Shared posts, products and links.
        shares: Option<Page<Share>> => Page(&SHARE),
        /// An Instagram story reply or mention.
        story: Option<Story> => Obj(&STORY),
        /// Reactions to the message.
        reactions: Option<Page<Reaction>> => Page(&REACTION),
        /// The message this one replies to.
        reply_to: Option<ReplyTo> => Obj(&REPLY_TO),
        /// A message type this API cannot show.
        is_unsupported: Option<bool> => Bool,
        /// Labels such as `inbox`, `read`, `source:chat`.
        tags: Option<Page<Tag>> => Page(&TAG),
        /// Legacy Messenger field (a sticker URL), not on the current reference: kept when
        /// Graph sends it, never asked for by default.
        sticker: Option<String> => Str [legacy],
    }
}

graph_object! {
    /// A file, image, video or template attached to a message.
    #[serde(default)]
    Attachment, ATTACHMENT {
        /// The attachment id.
        id: Option<String> => Str,
        /// File name.
        name: Option<String> => Str,
        /// MIME type.
        mime_type: Option<String> => Str,
        /// Size in bytes.
        size: Option<f64> => Num,
        /// Signed CDN URLs expire; download what you need to keep.
        file_url: Option<String> => Str,
        /// An image.
        image_data: Option<ImageData> => Obj(&IMAGE_DATA),
        /// A video.
        video_data: Option<VideoData> => Obj(&VIDEO_DATA),
        /// A template the business sent.
        generic_template: Option<GenericTemplate> => Obj(&GENERIC_TEMPLATE),
    }
}

graph_object! {
    /// An attached image.
    #[serde(default)]
    ImageData, IMAGE_DATA {
        /// Full size (a signed CDN URL that expires).
        url: Option<String> => Str,
        /// Preview size.
        preview_url: Option<String> => Str,
        /// Width in pixels.
        width: Option<f64> => Num,
        /// Height in pixels.
        height: Option<f64> => Num,
        /// Largest width available.
        max_width: Option<f64> => Num,
        /// Largest height available.
        max_height: Option<f64> => Num,
        /// Shown as a sticker.
        render_as_sticker: Option<bool> => Bool,
        /// Animated GIF.
        animated_gif_url: Option<String> => Str,
        /// Animated GIF preview.
        animated_gif_preview_url: Option<String> => Str,
    }
}

graph_object! {
    /// An attached video.
    #[serde(default)]
    VideoData, VIDEO_DATA {
        /// The video (a signed CDN URL that expires).
        url: Option<String> => Str,
        /// A still preview.
        preview_url: Option<String> => Str,
        /// Width in pixels.
        width: Option<f64> => Num,
        /// Height in pixels.
        height: Option<f64> => Num,
        /// Length in seconds.
        length: Option<f64> => Num,
        /// Graph's video type code.
        video_type: Option<f64> => Num,
    }
}

graph_object! {
    /// A template the business sent.
    #[serde(default)]
    GenericTemplate, GENERIC_TEMPLATE {
        /// Title.
        title: Option<String> => Str,
        /// Subtitle.
        subtitle: Option<String> => Str,
        /// Image or video.
        media_url: Option<String> => Str,
        /// The call to action, as Graph sent it.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
        cta: Option<Value> => Any,
    }
}

graph_object! {
    /// A shared post or product; Graph includes only its link or media URL.
    #[serde(default)]
    Share, SHARE {
        /// The share id.
        id: Option<String> => Str,
        /// The shared URL.
        link: Option<String> => Str,
        /// Title.
        name: Option<String> => Str,
        /// Description.
        description: Option<String> => Str,
    }
}

graph_object! {
    /// An Instagram story reply or mention.
    #[serde(default)]
    Story, STORY {
        /// The story this message replies to.
        reply_to: Option<StoryRef> => Obj(&STORY_REF),
        /// The story that mentions the account.
        mention: Option<StoryRef> => Obj(&STORY_REF),
    }
}

graph_object! {
    /// A story, by link and id (the link expires with the story).
    #[serde(default)]
    StoryRef, STORY_REF {
        /// The story's CDN URL.
        link: Option<String> => Str,
        /// The story id.
        id: Option<String> => Str,
    }
}

graph_object! {
    /// One reaction and who reacted with it.
    #[serde(default)]
    Reaction, REACTION {
        /// The reaction (an emoji, or `love`, `like` ...).
        reaction: Option<String> => Str,
        /// Who reacted.
        users: Option<Vec<Participant>> => List(&PARTICIPANT),
    }
}

graph_object! {
    /// Present on replies; `is_self_reply` when replying to one's own message.
    #[serde(default)]
    ReplyTo, REPLY_TO {
        /// The id of the message replied to.
        mid: Option<String> => Str,
        /// Whether the sender replied to their own message.
        is_self_reply: Option<bool> => Bool,
    }
}

graph_object! {
    /// A message label.
    #[serde(default)]
    Tag, TAG {
        /// The label, e.g. `inbox` or `source:chat`.
        name: Option<String> => Str,
    }
}

/// Every object declared here.
pub(crate) static GRAPH_OBJECTS: &[&Schema] = &[
    &CONVERSATION,
    &MESSAGE,
    &PARTICIPANT,
    &ATTACHMENT,
    &IMAGE_DATA,
    &VIDEO_DATA,
    &GENERIC_TEMPLATE,
    &SHARE,
    &STORY,
    &STORY_REF,
    &REACTION,
    &REPLY_TO,
    &TAG,
    &PAGING,
    &CURSORS,
];

/// The Graph objects these types know, each with the fields it types (any other field is kept
/// in `extra`). Useful to compare with another catalogue, such as a simulator's.
///
/// ```no_run
/// for (object, fields) in graph_conversations::known_fields() {
///     println!("{object}: {}", fields.join(", "));
/// }
/// ```
pub fn known_fields() -> Vec<(&'static str, Vec<&'static str>)> {
    GRAPH_OBJECTS
        .iter()
        .map(|schema| {
            (
                schema.object,
                schema.fields.iter().map(|f| f.name).collect(),
            )
        })
        .collect()
}

/// Normalises raw Graph JSON with the type's schema and decodes it.
#[cfg(test)]
pub(crate) fn decode<T: serde::de::DeserializeOwned + GraphObject>(mut value: Value) -> Option<T> {
    if !crate::core::schema::normalize(&mut value, T::schema()) {
        return None;
    }
    serde_json::from_value(value).ok()
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_the_documented_instagram_message() {
        let m: Message = decode(json!({
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
        let c: Conversation = decode(json!({
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

    /// A value of every known field, of the shape its `Kind` promises.
    fn sample(schema: &Schema) -> Value {
        let fields = schema.fields.iter().map(|f| {
            let value = match f.kind {
                Kind::Str | Kind::RequiredStr => json!("s"),
                Kind::RequiredTime => json!("2022-07-12T19:11:07+0000"),
                Kind::Int => json!(7),
                Kind::Num => json!(1.5),
                Kind::Bool => json!(true),
                Kind::Any => json!({"k": 1}),
                Kind::Obj(s) => sample(s),
                Kind::Page(s) => json!({"data": [sample(s)]}),
                Kind::List(s) => json!([sample(s)]),
            };
            (f.name.to_owned(), value)
        });
        Value::Object(fields.collect())
    }

    /// Each declared `Kind` agrees with its Rust type: a body with every field of every nested
    /// object decodes with nothing left unparsed and serialises back unchanged.
    fn kinds_agree_with_types<T: GraphObject + Serialize + serde::de::DeserializeOwned>() {
        let body = sample(T::schema());
        let typed: T = decode(body.clone()).unwrap_or_else(|| panic!("{}", T::schema().object));
        assert_eq!(
            serde_json::to_value(&typed).unwrap(),
            body,
            "{}",
            T::schema().object
        );
    }

    #[test]
    fn every_declared_field_is_typed_as_its_kind_says() {
        kinds_agree_with_types::<Conversation>(); // nests Message and everything below it
        kinds_agree_with_types::<Paging>();
        let covered: Vec<&str> = GRAPH_OBJECTS.iter().map(|s| s.object).collect();
        for object in [
            "Conversation",
            "Message",
            "Participant",
            "Attachment",
            "Reaction",
        ] {
            assert!(
                covered.contains(&object),
                "{object} missing from GRAPH_OBJECTS"
            );
        }
    }

    #[test]
    fn non_objects_do_not_decode() {
        assert!(decode::<Conversation>(json!([1])).is_none());
    }
}
