//! Meta's messaging webhooks (Messenger and Instagram) as typed events.
//!
//! One body is `{object, entry: [{id, time, messaging | standby | changes}]}`; each item of an
//! entry becomes one [`WebhookEvent`]. Real payloads drift from the docs (timestamps in ms, in
//! seconds or as strings; `num_edit` and `app_id` as number or string; dashboard test events in
//! `changes[]` under `entry.id` "0"), so every field is read leniently, and an item this parser
//! cannot read becomes [`WebhookEventDetail::Unknown`] with its raw JSON: one odd event never
//! fails the batch, and nothing is dropped.
//!
//! A message event carries the same [`Message`] model as Graph reads (`id` is the webhook `mid`),
//! built by the Graph schema from a Graph-shaped value, so one store holds both.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use serde_with_macros::skip_serializing_none;

use crate::core::error::{ErrorKind, GraphApiError};
use crate::core::hmac::{
    hmac_sha256, verify_hmac_sha256, verify_signature_header, SIGNATURE_PREFIX,
};
use crate::core::models::{Message, MESSAGE};
use crate::core::options::Platform;
use crate::core::schema::normalize;
use crate::core::secret::Secret;
use crate::core::time::{format_iso_ms, parse_time_ms};

/// One messaging event of a webhook delivery, its message typed as the Graph [`Message`].
#[cfg_attr(target_arch = "wasm32", tsify::declare)]
pub type WebhookEvent = WebhookEventOf<Message>;

/// What an event says, discriminated by `type`, its message typed as the Graph [`Message`].
#[cfg_attr(target_arch = "wasm32", tsify::declare)]
pub type WebhookEventDetail = WebhookEventDetailOf<Message>;

/// One messaging event of a webhook delivery, generic over the message's representation: the
/// typed [`Message`] ([`WebhookEvent`]) or its JSON (`Value`), which the wasm build works on so
/// that it does not ship a typed decoder of every Graph object.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct WebhookEventOf<M> {
    /// Which inbox: `page` deliveries are Messenger, `instagram` ones Instagram.
    pub platform: Platform,
    /// The Page or Instagram professional account (`entry.id`); webhooks call it the recipient
    /// of a customer's message and the sender of an echo.
    pub account_id: String,
    /// The customer (PSID or IGSID): the sender, or the recipient of an echo. Empty when the
    /// event names no customer.
    pub user_id: String,
    /// When it happened, unix milliseconds (Meta sends ms, seconds or strings; normalised).
    pub timestamp: i64,
    /// The same instant, ISO 8601 (`2026-11-29T10:00:00.123Z`).
    pub time: String,
    /// What happened, by `type`.
    #[serde(flatten)]
    // A union cannot be an interface's base: typed as an override, tsify writes an intersection.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "WebhookEventDetailOf<M>"))]
    pub detail: WebhookEventDetailOf<M>,
    /// Delivered in `standby` (another app owns the thread).
    pub standby: Option<bool>,
    /// A dashboard test event (`entry.id` "0", in `changes[]`).
    pub test: Option<bool>,
    /// The item as Meta sent it (in JS, integers beyond 2^53 as their decimal text, which a JS
    /// number would round).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub raw: Value,
}

/// What an event says, discriminated by `type` (see [`WebhookEventOf`] for `M`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum WebhookEventDetailOf<M> {
    /// The customer sent a message.
    Message {
        /// The message, as the Graph model (`id` is the webhook `mid`).
        message: M,
    },
    /// The business sent a message (from this app, another app or the inbox).
    Echo {
        /// The message, as the Graph model.
        message: M,
    },
    /// A message was edited (Messenger).
    Edit {
        /// The edited message.
        mid: String,
        /// Its new text.
        text: Option<String>,
        /// How many times it has been edited, this edit included.
        num_edit: u32,
    },
    /// A reaction was added or removed.
    Reaction {
        /// The message reacted to.
        mid: String,
        /// Added or removed.
        action: ReactionAction,
        /// Meta's name (`love`, `like`, `laugh` ...); absent on some removals.
        reaction: Option<String>,
        /// The emoji; absent on some removals.
        emoji: Option<String>,
    },
    /// The customer read the thread: up to `watermark` (Messenger) or up to `mid` (Instagram).
    Read {
        /// The newest message read (Instagram).
        mid: Option<String>,
        /// Everything sent at or before this time was read, unix ms (Messenger).
        watermark: Option<i64>,
    },
    /// Messages were delivered to the customer (Messenger).
    Delivery {
        /// The delivered messages, when Meta lists them.
        mids: Option<Vec<String>>,
        /// Everything sent at or before this time was delivered, unix ms.
        watermark: Option<i64>,
    },
    /// The customer unsent a message (Instagram `is_deleted`).
    Unsend {
        /// The message removed.
        mid: String,
    },
    /// A button or ice breaker was tapped.
    Postback {
        /// The message of the postback, when Meta sends one.
        mid: Option<String>,
        /// The button's title.
        title: Option<String>,
        /// The developer payload (absent in standby).
        payload: Option<String>,
    },
    /// The customer came through a link or an ad into an existing thread.
    Referral {
        /// `ref`, `source`, `type`, `ad_id` ... as Meta sent them.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
        referral: Map<String, Value>,
    },
    /// The customer opted in (Messenger marketing messages, plugins).
    Optin {
        /// As Meta sent it.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
        optin: Map<String, Value>,
    },
    /// Thread control moved between apps (`pass_thread_control`, `take_thread_control`,
    /// `request_thread_control`, `app_roles`).
    Handover {
        /// Which of them.
        action: String,
    },
    /// An event this parser does not know, or could not read; `raw` has it whole.
    Unknown,
}

/// A reaction added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum ReactionAction {
    /// Added.
    React,
    /// Removed.
    Unreact,
}

/// The handover keys of Meta's thread-control events.
const HANDOVER_KEYS: [&str; 4] = [
    "pass_thread_control",
    "take_thread_control",
    "request_thread_control",
    "app_roles",
];

/// The events of a webhook body. Fails (`invalid_payload`) only when the body is not Meta's
/// envelope (`{object, entry: [...]}`); any single event it cannot read becomes `unknown`.
/// Verify the signature first ([`WebhookReceiver::receive`] does both).
pub fn parse_webhook(body: &[u8]) -> Result<Vec<WebhookEvent>, GraphApiError> {
    Ok(parse_json_events(body)?
        .into_iter()
        .map(JsonEvent::typed)
        .collect())
}

/// An event whose message is Graph JSON, as the core and the wasm build handle it.
pub type JsonEvent = WebhookEventOf<Value>;

/// [`parse_webhook`], the messages left as normalised Graph JSON.
pub fn parse_json_events(body: &[u8]) -> Result<Vec<JsonEvent>, GraphApiError> {
    let envelope: Value = serde_json::from_slice(body)
        .map_err(|e| invalid_payload(format!("the body is not JSON: {e}")))?;
    parse_envelope(envelope)
}

fn parse_envelope(envelope: Value) -> Result<Vec<JsonEvent>, GraphApiError> {
    let Value::Object(mut envelope) = envelope else {
        return Err(invalid_payload("the body is not a JSON object"));
    };
    let Some(Value::String(object)) = envelope.get("object") else {
        return Err(invalid_payload("the body has no \"object\""));
    };
    // `instagram` is Instagram; `page` and any other object are read as Page deliveries.
    let platform = if object == "instagram" {
        Platform::Instagram
    } else {
        Platform::Messenger
    };
    let Some(Value::Array(entries)) = envelope.remove("entry") else {
        return Err(invalid_payload("the body has no \"entry\" list"));
    };
    let mut events = Vec::new();
    for entry in entries {
        read_entry(platform, entry, &mut events);
    }
    Ok(events)
}

fn invalid_payload(message: impl Into<String>) -> GraphApiError {
    GraphApiError::new(ErrorKind::InvalidPayload, message)
}

/// The context every item of one entry shares.
struct Entry {
    platform: Platform,
    account_id: String,
    time: Option<i64>,
}

fn read_entry(platform: Platform, entry: Value, events: &mut Vec<JsonEvent>) {
    let Value::Object(mut entry) = entry else {
        events.push(unknown(platform, String::new(), None, entry));
        return;
    };
    let context = Entry {
        platform,
        account_id: entry.get("id").and_then(id_text).unwrap_or_default(),
        time: entry.get("time").and_then(parse_time_ms),
    };
    let mut found = false;
    for (list, standby) in [("messaging", false), ("standby", true), ("changes", false)] {
        // Checked before taking: a list of another type stays in the entry's raw JSON.
        if !matches!(entry.get(list), Some(Value::Array(_))) {
            continue;
        }
        let Some(Value::Array(items)) = entry.remove(list) else {
            continue;
        };
        found = true;
        events.extend(
            items
                .into_iter()
                .map(|item| read_listed(&context, standby, item)),
        );
    }
    if !found {
        let raw = Value::Object(entry);
        events.push(unknown(platform, context.account_id, context.time, raw));
    }
}

/// One item of an entry's `messaging`, `standby` or `changes` list (told apart by shape: a
/// change is `{field, value}`).
fn read_listed(context: &Entry, standby: bool, item: Value) -> JsonEvent {
    let is_change = item.get("field").is_some() && item.get("value").is_some();
    let mut event = if is_change {
        read_change(context, item)
    } else {
        read_item(context, item)
    };
    event.standby = standby.then_some(true);
    event.test = (context.account_id == "0").then_some(true);
    event
}

/// The event again, from what it keeps: its `platform`, `accountId`, `timestamp`, `standby` and
/// `raw` give back the event [`parse_webhook`] made, through the same parser. Stores and the wasm
/// `Inbox` take events back this way, so no second reader of the event's JSON exists.
pub fn reread_event(
    platform: Platform,
    account_id: String,
    timestamp: i64,
    standby: bool,
    raw: Value,
) -> JsonEvent {
    let context = Entry {
        platform,
        account_id,
        time: Some(timestamp),
    };
    read_listed(&context, standby, raw)
}

/// `changes[{field, value}]`: the dashboard's test events carry a messaging item as `value`.
fn read_change(context: &Entry, change: Value) -> JsonEvent {
    let is_messaging = change
        .get("value")
        .is_some_and(|v| v.get("sender").is_some() || v.get("recipient").is_some());
    if !is_messaging {
        return unknown(
            context.platform,
            context.account_id.clone(),
            context.time,
            change,
        );
    }
    let mut event = read_item(context, change["value"].clone());
    event.raw = change;
    event
}

fn read_item(context: &Entry, item: Value) -> JsonEvent {
    let timestamp = item
        .get("timestamp")
        .and_then(parse_time_ms)
        .or(context.time)
        .unwrap_or(0);
    let (detail, user_id) = match detail_of(context, &item, timestamp) {
        Some(read) => read,
        None => (
            WebhookEventDetailOf::Unknown,
            customer_of(context, &item, false),
        ),
    };
    JsonEvent {
        platform: context.platform,
        account_id: context.account_id.clone(),
        user_id: user_id.unwrap_or_default(),
        timestamp,
        time: format_iso_ms(timestamp).unwrap_or_default(),
        detail,
        standby: None,
        test: None,
        raw: item,
    }
}

fn unknown(platform: Platform, account_id: String, time: Option<i64>, raw: Value) -> JsonEvent {
    let timestamp = time.unwrap_or(0);
    JsonEvent {
        platform,
        account_id,
        user_id: String::new(),
        timestamp,
        time: format_iso_ms(timestamp).unwrap_or_default(),
        detail: WebhookEventDetailOf::Unknown,
        standby: None,
        test: None,
        raw,
    }
}

/// An id as text: Meta sends ids as strings, sometimes as numbers (never read as f64: ids
/// exceed 2^53, and serde_json keeps integers exact).
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn truthy(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
        || matches!(v, Some(Value::String(s)) if s == "true" || s == "1")
        || matches!(v, Some(Value::Number(n)) if n.as_i64() == Some(1))
}

/// `sender.id` (or `sender.user_ref`, from plugins), `recipient.id`.
fn party(item: &Value, side: &str) -> Option<String> {
    let party = item.get(side)?;
    party
        .get("id")
        .and_then(id_text)
        .or_else(|| party.get("user_ref").and_then(id_text))
}

/// The customer's id: the recipient of an echo or of anything the account itself sent, else
/// the sender. An account messaging itself (Instagram self-messaging) is its own customer.
fn customer_of(context: &Entry, item: &Value, echo: bool) -> Option<String> {
    let sender = party(item, "sender");
    let recipient = party(item, "recipient");
    let from_account = echo || sender.as_deref() == Some(context.account_id.as_str());
    if from_account {
        recipient.or(sender)
    } else {
        sender.or(recipient)
    }
}

/// The detail and customer of a messaging item; `None` when it cannot be read (`unknown`).
fn detail_of(
    context: &Entry,
    item: &Value,
    timestamp: i64,
) -> Option<(WebhookEventDetailOf<Value>, Option<String>)> {
    use WebhookEventDetailOf as D;
    let customer = |echo| customer_of(context, item, echo);
    if let Some(m) = item.get("message") {
        let mid = m.get("mid").and_then(id_text)?;
        let echo = truthy(m.get("is_echo"));
        if truthy(m.get("is_deleted")) {
            return Some((D::Unsend { mid }, customer(echo)));
        }
        let message = message_of(item, m, mid, timestamp)?;
        let detail = if echo {
            D::Echo { message }
        } else {
            D::Message { message }
        };
        return Some((detail, customer(echo)));
    }
    let detail = if let Some(e) = item.get("message_edit") {
        D::Edit {
            mid: e.get("mid").and_then(id_text)?,
            text: text(e.get("text")),
            num_edit: number(e.get("num_edit")).unwrap_or(1).try_into().ok()?,
        }
    } else if let Some(r) = item.get("reaction") {
        D::Reaction {
            mid: r.get("mid").and_then(id_text)?,
            action: match r.get("action").and_then(Value::as_str) {
                Some("unreact") => ReactionAction::Unreact,
                Some("react") | None => ReactionAction::React,
                Some(_) => return None,
            },
            reaction: text(r.get("reaction")),
            emoji: text(r.get("emoji")),
        }
    } else if let Some(r) = item.get("read") {
        D::Read {
            mid: r.get("mid").and_then(id_text),
            watermark: r.get("watermark").and_then(parse_time_ms),
        }
    } else if let Some(d) = item.get("delivery") {
        D::Delivery {
            mids: d
                .get("mids")
                .and_then(Value::as_array)
                .map(|mids| mids.iter().filter_map(id_text).collect()),
            watermark: d.get("watermark").and_then(parse_time_ms),
        }
    } else if let Some(p) = item.get("postback") {
        D::Postback {
            mid: p.get("mid").and_then(id_text),
            title: text(p.get("title")),
            payload: text(p.get("payload")),
        }
    } else if let Some(Value::Object(r)) = item.get("referral") {
        D::Referral {
            referral: r.clone(),
        }
    } else if let Some(Value::Object(o)) = item.get("optin") {
        D::Optin { optin: o.clone() }
    } else if let Some(key) = HANDOVER_KEYS.iter().find(|k| item.get(**k).is_some()) {
        D::Handover {
            action: (*key).to_owned(),
        }
    } else {
        return None;
    };
    Some((detail, customer(false)))
}

/// A whole number sent as a number or as digits.
fn number(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The Graph [`Message`] of a webhook `message`: Graph's field names and shapes (`from`, `to`,
/// `message`, `attachments`, `shares`, `story`, `reply_to`), decoded by the Graph schema. What
/// Graph has no field for (`quick_reply`, `referral`, `is_echo`, `app_id`, `metadata`, each
/// attachment's `type` and `payload`) is kept in `extra`, with `app_id` as text.
fn message_of(item: &Value, m: &Value, mid: String, timestamp: i64) -> Option<Value> {
    let Value::Object(fields) = m else {
        return None;
    };
    let mut graph = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "mid" | "text" | "attachments" | "reply_to" => {}
            "app_id" => {
                graph.insert(
                    key.clone(),
                    text(Some(value)).map_or(Value::Null, Value::from),
                );
            }
            _ => {
                graph.insert(key.clone(), value.clone());
            }
        }
    }
    graph.insert("id".into(), Value::String(mid));
    graph.insert("created_time".into(), Value::from(timestamp));
    if let Some(id) = party(item, "sender") {
        graph.insert("from".into(), json!({ "id": id }));
    }
    if let Some(id) = party(item, "recipient") {
        graph.insert("to".into(), json!({ "data": [{ "id": id }] }));
    }
    if let Some(text) = fields.get("text") {
        graph.insert("message".into(), text.clone());
    }
    if let Some(reply) = fields.get("reply_to") {
        match reply.get("story") {
            Some(story) => story_of(&mut graph, "reply_to", story),
            None => {
                graph.insert("reply_to".into(), reply.clone());
            }
        }
    }
    if let Some(Value::Array(attachments)) = fields.get("attachments") {
        let mut files = Vec::new();
        let mut shares = Vec::new();
        for attachment in attachments {
            let kind = attachment.get("type").and_then(Value::as_str).unwrap_or("");
            let payload = attachment.get("payload");
            let url = payload.and_then(|p| p.get("url")).cloned();
            match (kind, url) {
                ("share", url) => shares.push(json!({ "link": url })),
                ("story_mention", Some(url)) => {
                    let id = payload.and_then(|p| p.get("id")).cloned();
                    story_of(&mut graph, "mention", &json!({ "url": url, "id": id }));
                }
                _ => files.push(attachment_of(kind, attachment)),
            }
        }
        if !files.is_empty() {
            graph.insert("attachments".into(), json!({ "data": files }));
        }
        if !shares.is_empty() {
            graph.insert("shares".into(), json!({ "data": shares }));
        }
    } else if let Some(other) = fields.get("attachments") {
        graph.insert("attachments".into(), other.clone());
    }
    let mut value = Value::Object(graph);
    normalize(&mut value, &MESSAGE).then_some(value)
}

impl<M> WebhookEventOf<M> {
    /// The same event with its message converted by `convert`; an event whose message does not
    /// convert becomes `unknown` (its `raw` keeps it).
    pub fn map_message<N>(self, convert: impl FnOnce(M) -> Option<N>) -> WebhookEventOf<N> {
        use WebhookEventDetailOf as D;
        let detail = match self.detail {
            D::Message { message } => {
                convert(message).map_or(D::Unknown, |message| D::Message { message })
            }
            D::Echo { message } => {
                convert(message).map_or(D::Unknown, |message| D::Echo { message })
            }
            D::Edit {
                mid,
                text,
                num_edit,
            } => D::Edit {
                mid,
                text,
                num_edit,
            },
            D::Reaction {
                mid,
                action,
                reaction,
                emoji,
            } => D::Reaction {
                mid,
                action,
                reaction,
                emoji,
            },
            D::Read { mid, watermark } => D::Read { mid, watermark },
            D::Delivery { mids, watermark } => D::Delivery { mids, watermark },
            D::Unsend { mid } => D::Unsend { mid },
            D::Postback {
                mid,
                title,
                payload,
            } => D::Postback {
                mid,
                title,
                payload,
            },
            D::Referral { referral } => D::Referral { referral },
            D::Optin { optin } => D::Optin { optin },
            D::Handover { action } => D::Handover { action },
            D::Unknown => D::Unknown,
        };
        WebhookEventOf {
            platform: self.platform,
            account_id: self.account_id,
            user_id: self.user_id,
            timestamp: self.timestamp,
            time: self.time,
            detail,
            standby: self.standby,
            test: self.test,
            raw: self.raw,
        }
    }
}

impl JsonEvent {
    /// The event with its message decoded as the typed [`Message`].
    pub fn typed(self) -> WebhookEvent {
        self.map_message(|m| serde_json::from_value(m).ok())
    }
}

impl WebhookEvent {
    /// The event with its message as Graph JSON, as the record-level merge takes it.
    pub fn to_json_event(&self) -> JsonEvent {
        self.clone().map_message(|m| serde_json::to_value(m).ok())
    }
}

/// `story: {reply_to | mention: {link, id}}`, as Graph shows a story reply or mention.
fn story_of(graph: &mut Map<String, Value>, role: &str, story: &Value) {
    let link = story.get("url").or_else(|| story.get("link")).cloned();
    let id = story.get("id").cloned();
    graph.insert("story".into(), json!({ role: { "link": link, "id": id } }));
}

/// One webhook attachment as a Graph attachment: images (and stickers) in `image_data`, videos
/// and reels in `video_data`, other files in `file_url`; `type` and `payload` kept as sent.
fn attachment_of(kind: &str, attachment: &Value) -> Value {
    let mut graph = match attachment {
        Value::Object(map) => map.clone(),
        _ => return attachment.clone(),
    };
    let payload = attachment.get("payload");
    if let Some(url) = payload.and_then(|p| p.get("url")).cloned() {
        match kind {
            "image" | "sticker" => {
                let sticker =
                    kind == "sticker" || payload.is_some_and(|p| p.get("sticker_id").is_some());
                graph.insert(
                    "image_data".into(),
                    json!({ "url": url, "render_as_sticker": sticker }),
                );
            }
            "video" | "reel" | "ig_reel" => {
                graph.insert("video_data".into(), json!({ "url": url }));
            }
            _ => {
                graph.insert("file_url".into(), url);
            }
        }
    }
    Value::Object(graph)
}

/// The most bytes a delivery may have by default (1 MiB): Meta escapes non-ASCII text as
/// `\uXXXX`, so busy batches are large, and a smaller cap rejects real deliveries.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// Settings of a [`WebhookReceiver`].
#[derive(Debug, Clone, Default)]
pub struct WebhookOptions {
    /// The app secret that signs deliveries (App settings > Basic). Required.
    pub app_secret: Secret,
    /// More secrets tried after it: a rotation, or the Instagram app's secret (Instagram Login).
    pub additional_secrets: Vec<Secret>,
    /// The verify token of the subscription handshake (`hub.verify_token`).
    pub verify_token: Option<Secret>,
    /// The largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub max_body_bytes: Option<usize>,
}

/// Verifies and parses Meta's webhook deliveries, for servers that own their request handling:
/// give it the raw body bytes as received (never re-serialised JSON: Meta signs its own escaped
/// bytes) and the `X-Hub-Signature-256` header.
///
/// ```
/// use graph_conversations::{WebhookOptions, WebhookReceiver};
///
/// let receiver = WebhookReceiver::new(WebhookOptions {
///     app_secret: "APP-SECRET".into(),
///     ..Default::default()
/// })?;
/// let body = br#"{"object":"page","entry":[]}"#;
/// let signature = "sha256=0000"; // X-Hub-Signature-256, as Meta sent it
/// assert!(receiver.receive(body, Some(signature)).is_err()); // answer 401
/// # Ok::<(), graph_conversations::GraphApiError>(())
/// ```
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    secrets: Vec<Secret>,
    verify_token: Option<Secret>,
    max_body_bytes: usize,
}

impl WebhookReceiver {
    /// A receiver; `invalid_argument` without an app secret (it never accepts unsigned bodies).
    pub fn new(options: WebhookOptions) -> Result<Self, GraphApiError> {
        let secrets: Vec<Secret> = std::iter::once(options.app_secret)
            .chain(options.additional_secrets)
            .collect();
        if secrets.iter().any(|s| s.expose().is_empty()) {
            return Err(GraphApiError::invalid_argument(
                "appSecret (and every additional secret) must be a non-empty string",
            ));
        }
        Ok(Self {
            secrets,
            verify_token: options.verify_token,
            max_body_bytes: options.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
        })
    }

    /// Which secret signed `body` (0: the app secret, then the additional ones in order), or
    /// `None` when the signature is missing or matches none. Constant time per secret.
    pub fn verify(&self, body: &[u8], signature: Option<&str>) -> Option<usize> {
        let signature = signature?;
        self.secrets
            .iter()
            .position(|secret| verify_signature_header(secret.expose(), body, signature))
    }

    /// The events of a delivery: `invalid_signature` when no secret signed it, `invalid_payload`
    /// when it is larger than `max_body_bytes` or not Meta's envelope.
    pub fn receive(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<Vec<WebhookEvent>, GraphApiError> {
        self.check(body, signature)?;
        parse_webhook(body)
    }

    fn check(&self, body: &[u8], signature: Option<&str>) -> Result<(), GraphApiError> {
        if body.len() > self.max_body_bytes {
            return Err(invalid_payload(format!(
                "the body has {} bytes, more than maxBodyBytes {}",
                body.len(),
                self.max_body_bytes
            )));
        }
        if self.verify(body, signature).is_none() {
            return Err(GraphApiError::new(
                ErrorKind::InvalidSignature,
                signature_failure(signature),
            ));
        }
        Ok(())
    }

    /// [`WebhookReceiver::receive`], the messages left as Graph JSON.
    pub fn receive_json(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<Vec<JsonEvent>, GraphApiError> {
        self.check(body, signature)?;
        parse_json_events(body)
    }

    /// The answer to Meta's subscription handshake (`GET ?hub.mode=subscribe&hub.verify_token=
    /// …&hub.challenge=…`): the challenge, verbatim, when the mode is `subscribe` and the token
    /// matches (compared in constant time); `None` (answer 403) otherwise or without a token.
    pub fn handshake<'a>(
        &self,
        mode: Option<&str>,
        verify_token: Option<&str>,
        challenge: Option<&'a str>,
    ) -> Option<&'a str> {
        let expected = self.verify_token.as_ref()?.expose();
        let given = verify_token?;
        // Both sides through HMAC: the comparison is constant time and independent of length.
        let tag = hmac_sha256(b"verify-token", expected.as_bytes());
        let matches = verify_hmac_sha256(b"verify-token", given.as_bytes(), &tag);
        (mode == Some("subscribe") && matches).then_some(challenge?)
    }
}

/// Why a signature did not verify, in words that point at the usual mistake.
pub fn signature_failure(signature: Option<&str>) -> &'static str {
    match signature {
        None => "no X-Hub-Signature-256 header: Meta signs every delivery",
        Some(s) if !s.trim().starts_with(SIGNATURE_PREFIX) => {
            "X-Hub-Signature-256 does not start with sha256= (X-Hub-Signature, SHA-1, is not accepted)"
        }
        Some(_) => {
            "no app secret signs this body: pass the raw request bytes as received (not \
             re-serialised JSON), and check the app secret"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_messenger_text_message_as_the_graph_model() {
        let body = br#"{"object":"page","entry":[{"id":"106","time":1458692752478,"messaging":[
            {"sender":{"id":"2400"},"recipient":{"id":"106"},"timestamp":1458692752478,
             "message":{"mid":"m_1","text":"caf\u00e9 https:\/\/x","quick_reply":{"payload":"P"}}}]}]}"#;
        let events = parse_webhook(body).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!((e.account_id.as_str(), e.user_id.as_str()), ("106", "2400"));
        assert_eq!(e.time, "2016-03-23T00:25:52.478Z");
        let WebhookEventDetail::Message { message } = &e.detail else {
            panic!("{e:?}")
        };
        assert_eq!(message.id, "m_1");
        assert_eq!(message.created_time, "2016-03-23T00:25:52+0000");
        assert_eq!(message.message.as_deref(), Some("café https://x"));
        assert_eq!(message.from.as_ref().unwrap().id, "2400");
        assert_eq!(message.extra["quick_reply"]["payload"], "P");
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json["type"], "message");
        assert_eq!(json["accountId"], "106");
        let back: WebhookEvent = serde_json::from_value(json).unwrap();
        assert_eq!(&back, e);
    }
}
