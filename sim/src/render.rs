//! Turning threads and messages into Graph JSON for a field selection, with paging.

use std::borrow::Cow;

use chrono::DateTime;

use crate::data::{self, Account, Content, Dataset, Message, Person};
use crate::errors::GraphError;
use crate::fields::{self, Field};
use crate::ids::{Inbox, ThreadRef};
use crate::json::{Json, Obj};
use crate::query::{self, Query};
use crate::store::{Overlay, ThreadView};

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
/// `limit` when none is given, for lists and for nested `messages`.
pub const DEFAULT_LIMIT: u32 = 25;

#[derive(Debug, Clone, Copy)]
pub enum Node {
    Account(Account),
    Thread,
    Message,
}

impl Node {
    fn known(self) -> &'static [&'static str] {
        match self {
            Node::Account(Account::Page) => PAGE_FIELDS,
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
fn key(name: &str, node: Node) -> Option<&'static str> {
    node.known().iter().copied().find(|k| *k == name)
}

/// Graph's datetime format: `2022-07-12T19:11:07+0000`.
pub fn time(secs: i64) -> Json {
    let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
    Json::from(t.format("%Y-%m-%dT%H:%M:%S%z").to_string())
}

/// What a response needs to know about the request to build `next` / `previous` URLs. They
/// carry the access token, as Graph's do, even when the token came in a header.
pub struct Links<'a> {
    /// `http://host:port`, from the request's Host header.
    pub origin: String,
    /// `/v26.0`, or empty for an unversioned request.
    pub prefix: &'a str,
    pub path: &'a str,
    pub token: &'a str,
    pub query: &'a Query,
}

const PAGING_PARAMS: &[&str] = &["access_token", "after", "before", "limit"];

impl Links<'_> {
    /// The same request, moved to another page.
    fn same(&self, limit: u32, dir: &str, cursor: &str) -> String {
        let limit = limit.to_string();
        let kept = self
            .query
            .pairs()
            .filter(|(k, _)| !PAGING_PARAMS.contains(k));
        let params = [("access_token", self.token)]
            .into_iter()
            .chain(kept)
            .chain([("limit", limit.as_str()), (dir, cursor)]);
        query::url(&self.origin, self.path, params)
    }

    /// The `/{thread}/messages` edge, for a nested `messages` page.
    fn edge(&self, thread_id: &str, limit: u32, fields: Option<&str>, cursor: &str) -> String {
        let limit = limit.to_string();
        let proof = self
            .query
            .pairs()
            .filter(|(k, _)| *k == "appsecret_proof" || *k == "appsecret_time");
        let params = [("access_token", self.token)]
            .into_iter()
            .chain(proof)
            .chain([("limit", limit.as_str())])
            .chain(fields.map(|f| ("fields", f)))
            .chain([("after", cursor)]);
        let path = format!("{}/{thread_id}/messages", self.prefix);
        query::url(&self.origin, &path, params)
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cursor<P> {
    First,
    After(P),
    Before(P),
}

/// Where the `next` / `previous` links of a page point.
pub enum LinkTo<'a> {
    /// The request itself, with `after` / `before` replaced.
    Same,
    /// The thread's `/messages` edge (nested expansion has no `previous`).
    Edge {
        thread_id: &'a str,
        fields: Option<String>,
    },
}

/// One page of a newest-first list: the items and whether more exist on either side.
pub struct Page<T> {
    pub items: Vec<T>,
    pub more_before: bool,
    pub more_after: bool,
}

impl<T> Page<T> {
    /// Builds a page from items listed away from the cursor (`limit + 1` of them tell whether
    /// more follow), and a check for whether anything lies on the other side.
    pub fn collect(
        cursor: Cursor<()>,
        limit: u32,
        mut items: Vec<T>,
        other_side: impl FnOnce(&[T]) -> bool,
    ) -> Self {
        let more_away = items.len() > limit as usize;
        items.truncate(limit as usize);
        match cursor {
            Cursor::Before(()) => {
                items.reverse();
                let more_after = other_side(&items);
                Page {
                    items,
                    more_before: more_away,
                    more_after,
                }
            }
            first_or_after => {
                let more_before = first_or_after != Cursor::First && other_side(&items);
                Page {
                    items,
                    more_before,
                    more_after: more_away,
                }
            }
        }
    }

    /// `{"data": [...], "paging": {...}}`; an empty page has no `paging`, as on Graph.
    pub fn render(
        self,
        links: &Links,
        limit: u32,
        to: LinkTo,
        cursor_of: impl Fn(&T) -> String,
        mut item: impl FnMut(T) -> Result<Json, GraphError>,
    ) -> Result<Obj, GraphError> {
        let (Some(first), Some(last)) = (self.items.first(), self.items.last()) else {
            return Ok(Obj::new().with("data", Json::Arr(Vec::new())));
        };
        let (before, after) = (cursor_of(first), cursor_of(last));
        let mut paging = Obj::new().with(
            "cursors",
            Obj::new()
                .with("before", before.clone())
                .with("after", after.clone()),
        );
        match to {
            LinkTo::Same => {
                if self.more_before {
                    paging.put("previous", links.same(limit, "before", &before));
                }
                if self.more_after {
                    paging.put("next", links.same(limit, "after", &after));
                }
            }
            LinkTo::Edge { thread_id, fields } => {
                if self.more_after {
                    paging.put(
                        "next",
                        links.edge(thread_id, limit, fields.as_deref(), &after),
                    );
                }
            }
        }
        let data = self
            .items
            .into_iter()
            .map(&mut item)
            .collect::<Result<_, _>>()?;
        Ok(Obj::new()
            .with("data", Json::Arr(data))
            .with("paging", paging))
    }
}

/// Everything rendering needs from the simulator's state.
pub struct Cx<'a> {
    pub ds: &'a Dataset,
    pub overlay: &'a Overlay,
    pub detail_window: u32,
    pub max_limit: u32,
    pub links: &'a Links<'a>,
}

fn person(inbox: Inbox, p: &Person) -> Obj {
    match inbox {
        Inbox::Messenger => Obj::new()
            .with("name", p.name.clone())
            .with("email", p.email())
            .with("id", p.id.clone()),
        Inbox::Instagram => Obj::new()
            .with("username", p.username.clone())
            .with("id", p.id.clone()),
    }
}

/// A reacting user: Instagram shows the username, Messenger the name.
fn reactor(inbox: Inbox, p: &Person) -> Obj {
    let o = Obj::new().with("id", p.id.clone());
    match inbox {
        Inbox::Messenger => o.with("name", p.name.clone()),
        Inbox::Instagram => o.with("username", p.username.clone()),
    }
}

/// Applies a `{...}` sub-selection to an object-valued field.
fn selected(value: Json, sub: Option<&[Field]>) -> Json {
    match sub {
        Some(sub) => value.select(&|k| sub.iter().any(|f| f.name == k)),
        None => value,
    }
}

impl Cx<'_> {
    pub fn thread_id(&self, t: ThreadRef) -> String {
        self.ds.codec.thread_id(t)
    }

    /// Whether message `k` is among the thread's newest `detail_window`.
    pub fn detailed(&self, view: &ThreadView, k: u32) -> bool {
        view.total() - k <= self.detail_window
    }

    fn sent_by_business(&self, view: &ThreadView, k: u32) -> bool {
        match view.added_message(k) {
            Some(a) => a.from_business,
            None => self.ds.sent_by_business(&view.base, k),
        }
    }

    fn message(&self, view: &ThreadView, k: u32) -> Message {
        match view.added_message(k) {
            Some(a) => Message {
                r: view.message_ref(k),
                from_business: a.from_business,
                text: Cow::Owned(a.text.clone()),
                content: Content::Text,
                reaction: None,
                reply_to: None,
            },
            None => self.ds.message(&view.base, k),
        }
    }

    fn created(&self, view: &ThreadView, k: u32) -> i64 {
        match view.added_message(k) {
            Some(a) => a.created,
            None => self.ds.created(&view.base, k),
        }
    }

    pub fn thread(&self, view: &ThreadView, fields: &[Field]) -> Result<Obj, GraphError> {
        let t = view.base.r;
        let messenger = t.inbox == Inbox::Messenger;
        let mut o = Obj::new();
        for f in fields {
            let Some(name) = key(&f.name, Node::Thread) else {
                continue;
            };
            let value: Option<Json> = match name {
                "id" => Some(self.thread_id(t).into()),
                "updated_time" => Some(time(view.updated)),
                "link" if messenger => Some(
                    format!(
                        "https://www.facebook.com/{}/inbox/?selected_item_id={}",
                        data::PAGE_ID,
                        self.ds.customer(t).id
                    )
                    .into(),
                ),
                "snippet" => Some(self.snippet(view).into()),
                "message_count" if messenger => Some(view.total().into()),
                "unread_count" if messenger => Some(self.unread(view).into()),
                "can_reply" => Some(view.base.can_reply.into()),
                "participants" => Some(Json::data(vec![
                    person(t.inbox, &self.ds.customer(t)).into(),
                    person(t.inbox, &Dataset::business(t.inbox)).into(),
                ])),
                "senders" if messenger => Some(Json::data(self.senders(view))),
                "messages" => {
                    let limit = f.limit.unwrap_or(DEFAULT_LIMIT).min(self.max_limit);
                    let default = fields::plain(DEFAULT_MESSAGE);
                    let sub = f.sub.as_deref().unwrap_or(&default);
                    let thread_id = self.thread_id(t);
                    let to = LinkTo::Edge {
                        thread_id: &thread_id,
                        fields: f.sub.as_deref().map(fields::to_string),
                    };
                    Some(self.messages(view, limit, Cursor::First, sub, to)?.into())
                }
                "is_owner" => Some(view.base.is_owner.into()),
                "folder" => Some(view.base.folder.name().into()),
                _ => None,
            };
            if let Some(v) = value {
                let sub = (name != "messages").then_some(f.sub.as_deref()).flatten();
                o.put(name, selected(v, sub));
            }
        }
        if !o.has("id") {
            o.put("id", self.thread_id(t));
        }
        Ok(o)
    }

    fn snippet(&self, view: &ThreadView) -> String {
        let m = self.message(view, view.total() - 1);
        if m.text.is_empty() {
            "Sent an attachment.".to_owned()
        } else {
            m.text.chars().take(100).collect()
        }
    }

    /// The customer's messages since the business last wrote, when the thread is unread.
    fn unread(&self, view: &ThreadView) -> u32 {
        let customer_wrote_last = view.added.last().is_some_and(|a| !a.from_business);
        if !view.base.unread && !customer_wrote_last {
            return 0;
        }
        (0..view.total())
            .rev()
            .take(10)
            .take_while(|&k| !self.sent_by_business(view, k))
            .count() as u32
    }

    fn senders(&self, view: &ThreadView) -> Vec<Json> {
        let t = view.base.r;
        let mut out = vec![person(t.inbox, &self.ds.customer(t)).into()];
        if (0..view.total())
            .rev()
            .any(|k| self.sent_by_business(view, k))
        {
            out.push(person(t.inbox, &Dataset::business(t.inbox)).into());
        }
        out
    }

    /// A newest-first page of a thread's messages. Messages outside the detail window carry
    /// only `id` and `created_time`.
    pub fn messages(
        &self,
        view: &ThreadView,
        limit: u32,
        cursor: Cursor<u32>,
        fields: &[Field],
        to: LinkTo,
    ) -> Result<Obj, GraphError> {
        let total = view.total();
        let take = limit as usize + 1;
        let (items, dir): (Vec<u32>, _) = match cursor {
            Cursor::First => ((0..total).rev().take(take).collect(), Cursor::First),
            Cursor::After(k) => (
                (0..k.min(total)).rev().take(take).collect(),
                Cursor::After(()),
            ),
            Cursor::Before(k) => (
                (k.saturating_add(1)..total).take(take).collect(),
                Cursor::Before(()),
            ),
        };
        let page = Page::collect(dir, limit, items, |items| match dir {
            Cursor::Before(()) => items.last().is_some_and(|&k| k > 0),
            _ => items.first().is_some_and(|&k| k + 1 < total),
        });
        let scope = message_scope(view.base.r);
        let codec = self.ds.codec;
        page.render(
            self.links,
            limit,
            to,
            |&k| codec.cursor(scope, 0, k),
            |k| self.message_json(view, k, fields, true).map(Json::Obj),
        )
    }

    /// One message. `nested` (inside a list) answers an old message with `id` and
    /// `created_time` only; asked for directly, an old message reads as deleted.
    pub fn message_json(
        &self,
        view: &ThreadView,
        k: u32,
        fields: &[Field],
        nested: bool,
    ) -> Result<Obj, GraphError> {
        let detailed = self.detailed(view, k);
        if !detailed && !nested {
            return Err(GraphError::deleted_message());
        }
        let r = view.message_ref(k);
        let id = || self.ds.codec.message_id(r);
        let needs_content = fields
            .iter()
            .any(|f| f.name != "id" && f.name != "created_time");
        let m = (detailed && needs_content).then(|| self.message(view, k));
        let mut o = Obj::new();
        for f in fields {
            let Some(name) = key(&f.name, Node::Message) else {
                continue;
            };
            let value: Option<Json> = match (name, &m) {
                ("id", _) => Some(id().into()),
                ("created_time", _) => Some(time(self.created(view, k))),
                (_, None) => None,
                (name, Some(m)) => self.message_field(name, m, view),
            };
            if let Some(v) = value {
                o.put(name, selected(v, f.sub.as_deref()));
            }
        }
        if !o.has("id") {
            o.put("id", id());
        }
        Ok(o)
    }

    fn message_field(&self, name: &str, m: &Message, view: &ThreadView) -> Option<Json> {
        let t = m.r.thread;
        let inbox = t.inbox;
        let customer = || self.ds.customer(t);
        let business = || Dataset::business(inbox);
        let (sender, recipient) = if m.from_business {
            (business(), customer())
        } else {
            (customer(), business())
        };
        match name {
            "from" => Some(person(inbox, &sender).into()),
            "to" => Some(Json::data(vec![person(inbox, &recipient).into()])),
            "message" => Some(m.text.clone().into()),
            "attachments" => attachment(inbox, &m.content).map(|a| Json::data(vec![a.into()])),
            "shares" => match &m.content {
                Content::Share {
                    id,
                    link,
                    name,
                    description,
                } => Some(Json::data(vec![Obj::new()
                    .with("link", *link)
                    .with("name", *name)
                    .with("description", *description)
                    .with("id", id.to_string())
                    .into()])),
                _ => None,
            },
            "story" => {
                let (kind, asset) = match m.content {
                    Content::StoryReply { asset } => ("reply_to", asset),
                    Content::StoryMention { asset } => ("mention", asset),
                    _ => return None,
                };
                let story = Obj::new()
                    .with("link", data::cdn_url(inbox, asset, "story"))
                    .with("id", (asset + 1).to_string());
                Some(Obj::new().with(kind, story).into())
            }
            "reactions" => m.reaction.as_ref().map(|r| {
                let who = if r.by_business {
                    business()
                } else {
                    customer()
                };
                Json::data(vec![Obj::new()
                    .with("reaction", r.emoji)
                    .with("users", Json::Arr(vec![reactor(inbox, &who).into()]))
                    .into()])
            }),
            "reply_to" => m.reply_to.map(|k| {
                Obj::new()
                    .with("mid", self.ds.codec.message_id(view.message_ref(k)))
                    .with(
                        "is_self_reply",
                        self.sent_by_business(view, k) == m.from_business,
                    )
                    .into()
            }),
            "is_unsupported" => (m.content == Content::Unsupported).then_some(Json::Bool(true)),
            "tags" if inbox == Inbox::Messenger => {
                let names: &[&'static str] = if m.from_business {
                    &["sent", "source:chat"]
                } else {
                    &["inbox", "read", "source:chat"]
                };
                Some(Json::data(
                    names
                        .iter()
                        .map(|n| Obj::new().with("name", *n).into())
                        .collect(),
                ))
            }
            "sticker" => match m.content {
                Content::Sticker { asset } => Some(data::cdn_url(inbox, asset, "sticker").into()),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn account(&self, account: Account, fields: &[Field]) -> Obj {
        let mut o = Obj::new();
        for f in fields {
            match (account, f.name.as_str()) {
                (_, "id") => o.put("id", account.id()),
                (Account::Page, "name") => o.put("name", data::PAGE_NAME),
                (Account::Instagram, "username") => o.put("username", data::IG_USERNAME),
                (Account::Instagram, "user_id") => o.put("user_id", account.id()),
                _ => {}
            }
        }
        o.put("id", account.id());
        o
    }
}

fn attachment(inbox: Inbox, content: &Content) -> Option<Obj> {
    let url = |asset, v| data::cdn_url(inbox, asset, v);
    let obj = match content {
        Content::Image(m) => Obj::new()
            .with("id", m.asset.to_string())
            .with("mime_type", "image/jpeg")
            .with("name", format!("image-{}.jpg", m.asset))
            .with("size", m.size)
            .with(
                "image_data",
                Obj::new()
                    .with("url", url(m.asset, "n"))
                    .with("preview_url", url(m.asset, "s"))
                    .with("width", m.width)
                    .with("height", m.height)
                    .with("max_width", m.width)
                    .with("max_height", m.height),
            ),
        Content::Video(m) => Obj::new()
            .with("id", m.asset.to_string())
            .with("mime_type", "video/mp4")
            .with("name", format!("video-{}.mp4", m.asset))
            .with("size", m.size)
            .with(
                "video_data",
                Obj::new()
                    .with("url", url(m.asset, "v"))
                    .with("preview_url", url(m.asset, "vs"))
                    .with("width", m.width)
                    .with("height", m.height),
            ),
        Content::File {
            asset,
            name,
            mime,
            size,
        } => Obj::new()
            .with("id", asset.to_string())
            .with("mime_type", *mime)
            .with("name", *name)
            .with("size", *size)
            .with("file_url", url(*asset, "f")),
        _ => return None,
    };
    Some(obj)
}

/// The cursor scope of a thread's message list (thread lists use the inbox slot, 0 or 1).
pub fn message_scope(t: ThreadRef) -> u64 {
    (1 << 40) | ((t.inbox.slot() as u64) << 32) | u64::from(t.index)
}
