//! The merge rules of one exact inbox from synced history (a synced conversation and its
//! messages) and live webhook events, at the level of single records so that any store (the
//! in-memory [`Inbox`], SQLite, D1, IndexedDB, Postgres) applies the same rules:
//!
//! 1. Turn what arrived into changes: [`changes_of_event`], [`changes_of_sync`].
//! 2. Load the records they name (a [`ThreadRecord`] by key, a [`MessageRecord`] by account and
//!    message id; a new one when absent), apply each change with [`ThreadRecord::apply`] or
//!    [`MessageRecord::apply`], and write back the records that report a change.
//! 3. Show a thread with [`thread_view`] (each message by [`MessageRecord::view`]).
//!
//! The rules, each order-independent so that duplicates, redeliveries and reordering change
//! nothing: a message id is stored once; a detailed copy is never replaced by a less detailed
//! one (Graph keeps details for the newest 20 messages only, webhooks keep them for good), and
//! Graph's fields win over a webhook's where both have them (Graph names the sender, lists
//! attachment ids); edits keep the highest `num_edit`; each customer's reaction ends in the state
//! of their newest reaction event; a read keeps the newest watermark; an unsent message stays
//! removed (a tombstone), whatever arrives later; order is by message time, never arrival.
//!
//! A sync is a snapshot taken at its `readAt`: it shows every change before `readAt` less the lag
//! ([`GRAPH_LAG_MS`]). Webhook edits and reactions older than that yield to what it shows, and a
//! stored message older than that which it no longer lists was removed, so the next sync after a
//! gap in deliveries repairs what the gap lost (Messenger sends no unsend webhook at all).
//!
//! Records hold messages as Graph JSON, so a store can keep them as they are, fields Graph adds
//! later included, and the wasm build ships no typed decoder; [`Inbox`] also reads and shows the
//! typed models.
//!
//! Webhooks carry no conversation id, so a thread is (platform, account, customer); the Graph
//! conversation id joins it from a sync, or from a `findConversation` lookup.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use serde_with_macros::skip_serializing_none;

use crate::core::error::GraphApiError;
use crate::core::models::{Message, Page, Participant};
use crate::core::options::Platform;
use crate::core::time::{format_graph_time, parse_text_ms};
use crate::core::webhook::{JsonEvent, ReactionAction, WebhookEvent, WebhookEventDetailOf};
use crate::sync::SyncedConversation;

/// How far before the newest known activity [`Inbox::since`] starts the next incremental sync:
/// Graph's `updated_time` has whole seconds, and overlap costs a few requests while a gap
/// would lose messages.
pub const SINCE_OVERLAP_MS: i64 = 60_000;

/// The default of how long a change may take to show in Graph reads, plus how far this
/// machine's clock may be from Meta's ([`InboxOptions`]): a Graph read at `t` shows
/// everything before `t - lag`. A webhook change older than that yields to what the read shows,
/// and a stored message older than that which a complete listing does not list was removed.
/// Erring long keeps a stale reaction a little longer; erring short could remove a message Graph
/// was still about to list.
pub const GRAPH_LAG_MS: i64 = 30_000;

/// The key of a thread: `"<platform>:<accountId>:<userId>"`.
pub fn thread_key(platform: Platform, account_id: &str, user_id: &str) -> String {
    format!("{}:{account_id}:{user_id}", platform.as_str())
}

/// Which account's inbox a sync read: the id webhooks use as `entry.id` (the Page for
/// Messenger, the Instagram professional account for Instagram, also when read through a Page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct InboxAccount {
    /// Messenger or Instagram.
    pub platform: Platform,
    /// The Page or Instagram account id.
    pub account_id: String,
}

/// Settings of an in-memory [`Inbox`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct InboxOptions {
    /// How long a change may take to show in Graph reads, plus clock skew, in ms (default
    /// 30,000): a sync read at `t` shows every change before `t - graphLagMs`.
    pub graph_lag_ms: Option<i64>,
}

/// What a store keeps per thread.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadRecord {
    /// [`thread_key`].
    pub key: String,
    /// Messenger or Instagram.
    pub platform: Platform,
    /// The Page or Instagram account.
    pub account_id: String,
    /// The customer.
    pub user_id: String,
    /// The Graph conversation id, once known.
    pub conversation_id: Option<String>,
    /// The newest activity, unix ms: Graph's `updated_time` or the newest message.
    pub updated_ms: i64,
    /// From the newest sync (Graph JSON).
    pub participants: Option<Value>,
    /// The customer read everything sent up to this time, unix ms (Messenger).
    pub read_watermark: Option<i64>,
    /// The newest message the customer read (Instagram), with the time of that read.
    pub read_mid: Option<(String, i64)>,
}

/// A change to one thread.
#[allow(clippy::large_enum_variant)] // short-lived, applied at once
#[derive(Debug, Clone, PartialEq)]
pub enum ThreadChange {
    /// A sync saw the conversation.
    Synced {
        /// Its Graph id.
        conversation_id: String,
        /// Its `updated_time`, unix ms.
        updated_ms: i64,
        /// Its participants (Graph JSON).
        participants: Option<Value>,
    },
    /// The Graph conversation id was looked up (`findConversation`).
    Linked {
        /// Its Graph id.
        conversation_id: String,
    },
    /// A message was sent at this time (unix ms).
    Activity(i64),
    /// The customer read the thread.
    Read {
        /// Up to this time (Messenger).
        watermark: Option<i64>,
        /// Up to this message (Instagram).
        mid: Option<String>,
        /// When they read it.
        at: i64,
    },
}

impl ThreadRecord {
    /// An empty record of the thread with the customer `user_id`.
    pub fn new(platform: Platform, account_id: &str, user_id: &str) -> Self {
        Self {
            key: thread_key(platform, account_id, user_id),
            platform,
            account_id: account_id.to_owned(),
            user_id: user_id.to_owned(),
            conversation_id: None,
            updated_ms: 0,
            participants: None,
            read_watermark: None,
            read_mid: None,
        }
    }

    /// Applies `change`; `true` when the record changed and should be written back.
    pub fn apply(&mut self, change: &ThreadChange) -> bool {
        match change {
            ThreadChange::Synced {
                conversation_id,
                updated_ms,
                participants,
            } => {
                let linked = set_if_changed(&mut self.conversation_id, Some(conversation_id));
                let newer = raise(&mut self.updated_ms, *updated_ms);
                let listed = participants.is_some()
                    && set_if_changed(&mut self.participants, participants.as_ref());
                linked | newer | listed
            }
            ThreadChange::Linked { conversation_id } => {
                self.conversation_id.is_none()
                    && set_if_changed(&mut self.conversation_id, Some(conversation_id))
            }
            ThreadChange::Activity(at) => raise(&mut self.updated_ms, *at),
            ThreadChange::Read { watermark, mid, at } => {
                let mut changed = false;
                if let Some(w) = *watermark {
                    changed |= self.read_watermark.is_none_or(|old| w > old);
                    self.read_watermark = Some(self.read_watermark.map_or(w, |old| old.max(w)));
                }
                if let Some(mid) = mid {
                    let newer = self.read_mid.as_ref().is_none_or(|(_, old)| *at >= *old);
                    let read = Some((mid.clone(), *at));
                    if newer && self.read_mid != read {
                        self.read_mid = read;
                        changed = true;
                    }
                }
                changed
            }
        }
    }
}

/// Sets `slot` to `value` (cloned) when they differ; `true` when it did.
fn set_if_changed<T: Clone + PartialEq>(slot: &mut Option<T>, value: Option<&T>) -> bool {
    if slot.as_ref() == value {
        return false;
    }
    *slot = value.cloned();
    true
}

/// Raises `slot` to `value` when larger; `true` when it did.
fn raise(slot: &mut i64, value: i64) -> bool {
    let raised = value > *slot;
    *slot = (*slot).max(value);
    raised
}

/// Where a copy of a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A Graph read (a sync): second-precision time, the sender's name, attachment ids, and the
    /// state of edits and reactions up to `shows_until_ms`.
    Graph {
        /// The read time less the lag ([`GRAPH_LAG_MS`]), unix ms; 0 when unknown.
        shows_until_ms: i64,
    },
    /// A webhook: millisecond time; details that outlive Graph's newest-20 window.
    Webhook,
}

/// What a store keeps per message: the best copy of it and the changes webhooks reported.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRecord {
    /// The message id (the webhook `mid`).
    pub id: String,
    /// The [`thread_key`] of its thread.
    pub thread: String,
    /// Its time, unix ms: the order key (0 until the message itself arrives).
    pub time_ms: i64,
    /// `time_ms` came from a webhook (milliseconds) rather than Graph (whole seconds).
    pub precise: bool,
    /// The merged copy (Graph JSON); `None` while only an edit or a reaction has arrived.
    pub message: Option<Value>,
    /// A Graph copy has been merged in.
    pub from_graph: bool,
    /// Up to when the newest detailed Graph copy shows the message's state, unix ms (its read
    /// time less the lag; 0: unknown): webhook edits and reactions before it yield to it.
    pub graph_shows_until_ms: i64,
    /// The newest edit.
    pub edit: Option<EditRecord>,
    /// Each customer's newest reaction event.
    pub reactions: Vec<ReactionRecord>,
    /// Unsent: never shown again, whatever arrives later.
    pub deleted: bool,
}

/// The newest edit of a message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditRecord {
    /// The edit count, this edit included.
    pub num_edit: u32,
    /// The new text.
    pub text: Option<String>,
    /// When, unix ms.
    pub timestamp: i64,
}

/// One person's newest reaction event on a message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionRecord {
    /// Who reacted.
    pub user_id: String,
    /// Meta's name (`love` ...).
    pub reaction: Option<String>,
    /// The emoji.
    pub emoji: Option<String>,
    /// When, unix ms.
    pub timestamp: i64,
    /// `false` after an `unreact`.
    pub active: bool,
}

/// A change to one message.
#[allow(clippy::large_enum_variant)] // short-lived, applied at once
#[derive(Debug, Clone, PartialEq)]
pub enum MessageChange {
    /// A copy of the message arrived.
    Seen {
        /// The copy (Graph JSON).
        message: Value,
        /// Its time, unix ms.
        time_ms: i64,
        /// Where it came from.
        source: Source,
    },
    /// It was edited.
    Edited(EditRecord),
    /// A reaction was added or removed.
    Reacted(ReactionRecord),
    /// It was unsent, or a complete listing of its thread no longer has it.
    Removed,
}

impl MessageRecord {
    /// An empty record of message `id` in thread `thread`.
    pub fn new(id: &str, thread: &str) -> Self {
        Self {
            id: id.to_owned(),
            thread: thread.to_owned(),
            time_ms: 0,
            precise: false,
            message: None,
            from_graph: false,
            graph_shows_until_ms: 0,
            edit: None,
            reactions: Vec::new(),
            deleted: false,
        }
    }

    /// Applies `change`; `true` when the record changed and should be written back.
    pub fn apply(&mut self, change: &MessageChange) -> bool {
        if self.deleted {
            return false;
        }
        match change {
            MessageChange::Seen {
                message,
                time_ms,
                source,
            } => self.seen(message, *time_ms, *source),
            MessageChange::Edited(edit) => {
                let newer = self
                    .edit
                    .as_ref()
                    .is_none_or(|e| edit.num_edit > e.num_edit);
                if newer {
                    self.edit = Some(edit.clone());
                }
                newer
            }
            MessageChange::Reacted(reaction) => {
                let by = &reaction.user_id;
                match self.reactions.iter_mut().find(|r| r.user_id == *by) {
                    Some(old) if old.timestamp > reaction.timestamp || old == reaction => false,
                    Some(old) => {
                        *old = reaction.clone();
                        true
                    }
                    None => {
                        self.reactions.push(reaction.clone());
                        true
                    }
                }
            }
            MessageChange::Removed => {
                // The tombstone keeps only what identifies and orders it.
                *self = Self {
                    deleted: true,
                    time_ms: self.time_ms,
                    ..Self::new(&self.id, &self.thread)
                };
                true
            }
        }
    }

    fn seen(&mut self, copy: &Value, time_ms: i64, source: Source) -> bool {
        let mut changed = false;
        // The order key: a webhook's milliseconds beat Graph's whole seconds.
        let precise = source == Source::Webhook;
        if self.time_ms == 0 || (precise && !self.precise) {
            changed |= self.time_ms != time_ms || self.precise != precise;
            self.time_ms = time_ms;
            self.precise = precise;
        }
        let graph_wins = source != Source::Webhook;
        changed |= graph_wins && !self.from_graph;
        self.from_graph |= graph_wins;
        if let Source::Graph { shows_until_ms } = source {
            if is_detailed(copy) {
                changed |= raise(&mut self.graph_shows_until_ms, shows_until_ms);
            }
        }
        let mut merged = match &self.message {
            None => copy.clone(),
            Some(old) if graph_wins => merge_fields(old, copy),
            Some(old) => merge_fields(copy, old),
        };
        // Graph leaves `reactions` out when there are none: a detailed Graph copy without it
        // says the reactions an earlier Graph copy listed are gone (webhooks never carry it).
        if graph_wins && is_detailed(copy) && copy.get("reactions").is_none() {
            if let Value::Object(fields) = &mut merged {
                fields.remove("reactions");
            }
        }
        changed |= self.message.as_ref() != Some(&merged);
        self.message = Some(merged);
        changed
    }

    /// The message as a reader sees it (Graph JSON): `None` when unsent or not yet arrived; the
    /// newest edit's text; reactions with each reactor's newest webhook state over Graph's.
    pub fn view(&self) -> Option<Value> {
        if self.deleted {
            return None;
        }
        let mut message = self.message.clone()?;
        let Value::Object(fields) = &mut message else {
            return Some(message);
        };
        if let Some(edit) = self.edit.as_ref().filter(|e| self.outranks(e.timestamp)) {
            let text = edit.text.clone().map_or(Value::Null, Value::from);
            fields.insert("message".into(), text);
        }
        if self.reactions.iter().any(|r| self.outranks(r.timestamp)) {
            let reactions = self.reactions_over(fields.get("reactions"));
            fields.insert("reactions".into(), reactions);
        }
        Some(message)
    }

    /// Whether a webhook change at `timestamp` is newer than what the newest Graph read shows.
    fn outranks(&self, timestamp: i64) -> bool {
        timestamp >= self.graph_shows_until_ms
    }

    /// Graph's `reactions` page (`{data: [{reaction, users: [{id}]}]}`) with each reactor known
    /// from webhooks in the state of their newest event.
    fn reactions_over(&self, graph: Option<&Value>) -> Value {
        let newer: Vec<&ReactionRecord> = (self.reactions.iter())
            .filter(|r| self.outranks(r.timestamp))
            .collect();
        let overridden: HashSet<&str> = newer.iter().map(|r| r.user_id.as_str()).collect();
        let is_overridden = |user: &Value| {
            let id = user.get("id").and_then(Value::as_str);
            id.is_some_and(|id| overridden.contains(id))
        };
        let mut data: Vec<Value> = graph
            .and_then(|g| g.get("data"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for reaction in &mut data {
            if let Some(Value::Array(users)) = reaction.get_mut("users") {
                users.retain(|u| !is_overridden(u));
            }
        }
        data.retain(|r| {
            let users = r.get("users").and_then(Value::as_array);
            users.is_none_or(|u| !u.is_empty())
        });
        for r in newer.into_iter().filter(|r| r.active) {
            let shown = r.emoji.as_ref().or(r.reaction.as_ref());
            data.push(json!({ "reaction": shown, "users": [{ "id": r.user_id }] }));
        }
        json!({ "data": data })
    }
}

/// Whether a Graph copy of a message has its details (Graph lists only `id` and
/// `created_time` for messages older than the newest 20).
fn is_detailed(copy: &Value) -> bool {
    copy.as_object()
        .is_some_and(|o| o.keys().any(|k| k != "id" && k != "created_time"))
}

/// `base`'s fields, with `over`'s where both have them (one level deep: each field is one Graph
/// value, taken whole from the better copy).
fn merge_fields(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            let mut merged = base.clone();
            merged.extend(over.iter().map(|(k, v)| (k.clone(), v.clone())));
            Value::Object(merged)
        }
        _ => over.clone(),
    }
}

/// What one webhook event changes.
#[derive(Debug, Clone, PartialEq)]
pub struct EventChanges {
    /// The thread's key.
    pub thread: String,
    /// The change to the thread, if any.
    pub thread_change: Option<ThreadChange>,
    /// The message id and the change to it, if any.
    pub message: Option<(String, MessageChange)>,
}

/// The changes a webhook event makes, or `None` for events that change no stored state
/// (deliveries, postbacks, referrals, opt-ins, handovers, unknown and dashboard test events).
pub fn changes_of_event(event: &JsonEvent) -> Option<EventChanges> {
    use WebhookEventDetailOf as D;
    if event.test == Some(true) || event.user_id.is_empty() {
        return None;
    }
    let message = |mid: &String, change| Some((mid.clone(), change));
    let (thread_change, message) = match &event.detail {
        D::Message { message: copy } | D::Echo { message: copy } => {
            let seen = MessageChange::Seen {
                message: copy.clone(),
                time_ms: event.timestamp,
                source: Source::Webhook,
            };
            let activity = Some(ThreadChange::Activity(event.timestamp));
            (activity, message(&id_of(copy)?, seen))
        }
        D::Edit {
            mid,
            text,
            num_edit,
        } => {
            let edited = MessageChange::Edited(EditRecord {
                num_edit: *num_edit,
                text: text.clone(),
                timestamp: event.timestamp,
            });
            (None, message(mid, edited))
        }
        D::Reaction {
            mid,
            action,
            reaction,
            emoji,
        } => {
            let reacted = MessageChange::Reacted(ReactionRecord {
                user_id: event.user_id.clone(),
                reaction: reaction.clone(),
                emoji: emoji.clone(),
                timestamp: event.timestamp,
                active: *action == ReactionAction::React,
            });
            (None, message(mid, reacted))
        }
        D::Unsend { mid } => (None, message(mid, MessageChange::Removed)),
        D::Read { mid, watermark } => {
            let read = ThreadChange::Read {
                watermark: *watermark,
                mid: mid.clone(),
                at: event.timestamp,
            };
            (Some(read), None)
        }
        _ => return None,
    };
    Some(EventChanges {
        thread: thread_key(event.platform, &event.account_id, &event.user_id),
        thread_change,
        message,
    })
}

/// What one synced conversation changes.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncChanges {
    /// The thread's key.
    pub thread: String,
    /// The customer.
    pub user_id: String,
    /// The change to the thread.
    pub thread_change: ThreadChange,
    /// Each listed message: its id and its copy.
    pub messages: Vec<(String, MessageChange)>,
    /// A sync lists every message of a thread, so a stored message of this thread that is not
    /// listed and older than this time was removed: apply [`MessageChange::Removed`] to it.
    /// Unix ms: the newest listed message's, or up to when the read shows the thread if later;
    /// newer messages may have arrived after the listing.
    pub complete_before_ms: i64,
}

impl SyncChanges {
    /// Whether `record`, a stored message of this thread that the sync did not list, was
    /// removed: it is older than what the listing covers (see `complete_before_ms`).
    pub fn removes(&self, record: &MessageRecord) -> bool {
        record.thread == self.thread
            && record.message.is_some()
            && record.time_ms < self.complete_before_ms
            && !self.messages.iter().any(|(id, _)| *id == record.id)
    }
}

/// The changes a synced conversation (Graph JSON) makes to the inbox of `account`, read from
/// Graph at a time that shows everything before `shows_until_ms` (its `readAt` less the lag,
/// e.g. [`GRAPH_LAG_MS`]; 0 when unknown). The
/// customer is the participant who is not the account; `invalid_argument` when there is none (the
/// sync did not ask for participants, or `account` is not this inbox's).
pub fn changes_of_sync(
    conversation: &Value,
    listed: &[Value],
    account: &InboxAccount,
    shows_until_ms: i64,
) -> Result<SyncChanges, GraphApiError> {
    let conversation_id = id_of(conversation).unwrap_or_default();
    let participants = conversation.get("participants").filter(|p| !p.is_null());
    let user_id = participants
        .and_then(|p| p.get("data"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("id").and_then(Value::as_str))
        .find(|id| !id.is_empty() && *id != account.account_id)
        .ok_or_else(|| {
            GraphApiError::invalid_argument(format!(
                "conversation {conversation_id} has no participant other than account {}: sync \
                 with participants, for the account webhooks name as entry.id",
                account.account_id
            ))
        })?;
    let time_of = |v: &Value, field: &str| {
        let text = v.get(field).and_then(Value::as_str);
        text.and_then(parse_text_ms).unwrap_or(0)
    };
    let mut messages = Vec::with_capacity(listed.len());
    let mut newest = 0;
    for m in listed {
        let time_ms = time_of(m, "created_time");
        newest = newest.max(time_ms);
        let change = MessageChange::Seen {
            message: m.clone(),
            time_ms,
            source: Source::Graph { shows_until_ms },
        };
        messages.push((id_of(m).unwrap_or_default(), change));
    }
    Ok(SyncChanges {
        thread: thread_key(account.platform, &account.account_id, user_id),
        user_id: user_id.to_owned(),
        thread_change: ThreadChange::Synced {
            conversation_id,
            updated_ms: time_of(conversation, "updated_time").max(newest),
            participants: participants.cloned(),
        },
        messages,
        complete_before_ms: newest.max(shows_until_ms),
    })
}

/// The `id` of a Graph object's JSON.
fn id_of(object: &Value) -> Option<String> {
    object.get("id").and_then(Value::as_str).map(str::to_owned)
}

/// A thread as a reader sees it, its messages and participants typed.
#[cfg_attr(target_arch = "wasm32", tsify::declare)]
pub type InboxThread = InboxThreadOf<Message, Page<Participant>>;

/// A thread as a reader sees it, generic over the representation of its messages (`M`) and
/// participants (`P`): typed ([`InboxThread`]) or Graph JSON (`Value`), as for
/// [`WebhookEventOf`](crate::core::webhook::WebhookEventOf).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct InboxThreadOf<M, P> {
    /// `"<platform>:<accountId>:<userId>"`.
    pub key: String,
    /// Messenger or Instagram.
    pub platform: Platform,
    /// The Page or Instagram account.
    pub account_id: String,
    /// The customer.
    pub user_id: String,
    /// The Graph conversation id, once known.
    pub conversation_id: Option<String>,
    /// The newest activity, in Graph's form.
    #[serde(rename = "updated_time")]
    pub updated_time: String,
    /// From the newest sync.
    pub participants: Option<P>,
    /// Newest first, each id once: edits applied, unsent removed, reactions in their final state.
    pub messages: Vec<M>,
    /// The customer read everything sent up to this time, unix ms.
    pub read_watermark: Option<i64>,
}

/// An in-memory inbox of any number of accounts, merged by the rules of this module.
#[derive(Debug, Clone)]
pub struct Inbox {
    /// See [`GRAPH_LAG_MS`].
    graph_lag_ms: i64,
    threads: HashMap<String, ThreadRecord>,
    /// By (account, message id).
    messages: HashMap<(String, String), MessageRecord>,
    /// Message ids by thread key.
    by_thread: HashMap<String, HashSet<String>>,
}

impl Default for Inbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Inbox {
    /// An empty inbox.
    pub fn new() -> Self {
        Self::with_options(&InboxOptions::default())
    }

    /// An empty inbox with these settings.
    pub fn with_options(options: &InboxOptions) -> Self {
        Self {
            graph_lag_ms: options.graph_lag_ms.unwrap_or(GRAPH_LAG_MS).max(0),
            threads: HashMap::new(),
            messages: HashMap::new(),
            by_thread: HashMap::new(),
        }
    }

    /// Merges one synced conversation of `account`'s inbox (what `sync_inbox` yields).
    pub fn apply_sync(
        &mut self,
        item: &SyncedConversation,
        account: &InboxAccount,
    ) -> Result<(), GraphApiError> {
        let messages: Vec<Value> = item.messages.iter().map(to_json).collect();
        let conversation = to_json(&item.conversation);
        self.apply_sync_json(&conversation, &messages, account, item.read_at)
    }

    /// [`Inbox::apply_sync`] of Graph JSON read at `read_ms` (unix ms; 0 when unknown, and then
    /// a webhook edit or reaction always outranks what Graph shows).
    pub fn apply_sync_json(
        &mut self,
        conversation: &Value,
        messages: &[Value],
        account: &InboxAccount,
        read_ms: i64,
    ) -> Result<(), GraphApiError> {
        let shows_until_ms = if read_ms > 0 {
            read_ms - self.graph_lag_ms
        } else {
            0
        };
        let changes = changes_of_sync(conversation, messages, account, shows_until_ms)?;
        let (platform, account_id) = (account.platform, account.account_id.as_str());
        self.thread_record(platform, account_id, &changes.user_id)
            .apply(&changes.thread_change);
        let listed: HashSet<&str> = changes.messages.iter().map(|(id, _)| id.as_str()).collect();
        for (id, change) in &changes.messages {
            self.message_record(account_id, id, &changes.thread)
                .apply(change);
        }
        let unlisted: Vec<String> = self
            .by_thread
            .get(&changes.thread)
            .into_iter()
            .flatten()
            .filter(|id| !listed.contains(id.as_str()))
            .cloned()
            .collect();
        for id in unlisted {
            let record = self.message_record(account_id, &id, &changes.thread);
            if changes.removes(record) {
                record.apply(&MessageChange::Removed);
            }
        }
        Ok(())
    }

    /// Merges webhook events, in any order, any number of times.
    pub fn apply_events<'a>(&mut self, events: impl IntoIterator<Item = &'a WebhookEvent>) {
        for event in events {
            self.apply_json_events([&event.to_json_event()]);
        }
    }

    /// [`Inbox::apply_events`] of events whose messages are Graph JSON.
    pub fn apply_json_events<'a>(&mut self, events: impl IntoIterator<Item = &'a JsonEvent>) {
        for event in events {
            let Some(changes) = changes_of_event(event) else {
                continue;
            };
            let thread = self.thread_record(event.platform, &event.account_id, &event.user_id);
            if let Some(change) = &changes.thread_change {
                thread.apply(change);
            }
            if let Some((id, change)) = &changes.message {
                self.message_record(&event.account_id, id, &changes.thread)
                    .apply(change);
            }
        }
    }

    /// Attaches the Graph conversation id of a thread first seen by webhook (found with
    /// `findConversation`); `false` for an unknown key.
    pub fn link_conversation(&mut self, key: &str, conversation_id: &str) -> bool {
        let change = ThreadChange::Linked {
            conversation_id: conversation_id.to_owned(),
        };
        let Some(thread) = self.threads.get_mut(key) else {
            return false;
        };
        thread.apply(&change);
        true
    }

    fn thread_record(
        &mut self,
        platform: Platform,
        account_id: &str,
        user_id: &str,
    ) -> &mut ThreadRecord {
        self.threads
            .entry(thread_key(platform, account_id, user_id))
            .or_insert_with(|| ThreadRecord::new(platform, account_id, user_id))
    }

    fn message_record(&mut self, account_id: &str, id: &str, thread: &str) -> &mut MessageRecord {
        self.by_thread
            .entry(thread.to_owned())
            .or_default()
            .insert(id.to_owned());
        self.messages
            .entry((account_id.to_owned(), id.to_owned()))
            .or_insert_with(|| MessageRecord::new(id, thread))
    }

    /// One thread as a reader sees it, by key.
    pub fn thread(&self, key: &str) -> Option<InboxThread> {
        self.thread_json(key).map(InboxThreadOf::typed)
    }

    /// Every thread, newest activity first.
    pub fn threads(&self) -> Vec<InboxThread> {
        self.threads_json()
            .into_iter()
            .map(InboxThreadOf::typed)
            .collect()
    }

    /// [`Inbox::thread`] as Graph JSON.
    pub fn thread_json(&self, key: &str) -> Option<InboxThreadOf<Value, Value>> {
        let record = self.threads.get(key)?;
        let messages = self.by_thread.get(key).into_iter().flatten();
        let stored = messages.filter_map(|id| {
            let key = (record.account_id.clone(), id.clone());
            self.messages.get(&key)
        });
        Some(thread_view(record, stored))
    }

    /// [`Inbox::threads`] as Graph JSON.
    pub fn threads_json(&self) -> Vec<InboxThreadOf<Value, Value>> {
        let mut records: Vec<&ThreadRecord> = self.threads.values().collect();
        records.sort_by(|a, b| (b.updated_ms, &b.key).cmp(&(a.updated_ms, &a.key)));
        records
            .iter()
            .filter_map(|t| self.thread_json(&t.key))
            .collect()
    }

    /// The `since` of the next incremental `syncInbox`: the newest known activity, less
    /// [`SINCE_OVERLAP_MS`]; `None` while the inbox is empty. Read it before deliveries resume
    /// after a gap (newer events would move it past the gap).
    pub fn since(&self) -> Option<String> {
        let newest = self.threads.values().map(|t| t.updated_ms).max()?;
        format_graph_time((newest - SINCE_OVERLAP_MS).div_euclid(1000))
    }
}

/// A thread as a reader sees it, from its record and its messages' records (in any order):
/// messages newest first, each shown by [`MessageRecord::view`].
pub fn thread_view<'a>(
    record: &ThreadRecord,
    messages: impl IntoIterator<Item = &'a MessageRecord>,
) -> InboxThreadOf<Value, Value> {
    let mut records: Vec<&MessageRecord> = messages
        .into_iter()
        .filter(|m| m.thread == record.key)
        .collect();
    records.sort_by(|a, b| (b.time_ms, &b.id).cmp(&(a.time_ms, &a.id)));
    let read_mid_time = record.read_mid.as_ref().and_then(|(mid, _)| {
        let read = records.iter().find(|m| m.id == *mid)?;
        (read.time_ms > 0).then_some(read.time_ms)
    });
    InboxThreadOf {
        key: record.key.clone(),
        platform: record.platform,
        account_id: record.account_id.clone(),
        user_id: record.user_id.clone(),
        conversation_id: record.conversation_id.clone(),
        updated_time: format_graph_time(record.updated_ms.div_euclid(1000)).unwrap_or_default(),
        participants: record.participants.clone(),
        messages: records.iter().filter_map(|m| m.view()).collect(),
        read_watermark: record.read_watermark.max(read_mid_time),
    }
}

impl InboxThreadOf<Value, Value> {
    /// The thread with its messages and participants decoded as the typed models.
    pub fn typed(self) -> InboxThread {
        InboxThreadOf {
            key: self.key,
            platform: self.platform,
            account_id: self.account_id,
            user_id: self.user_id,
            conversation_id: self.conversation_id,
            updated_time: self.updated_time,
            participants: self.participants.and_then(from_json),
            messages: self.messages.into_iter().filter_map(from_json).collect(),
            read_watermark: self.read_watermark,
        }
    }
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> Option<T> {
    serde_json::from_value(value).ok()
}
