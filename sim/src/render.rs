//! Turning threads and messages into Graph JSON for a field selection.
//! Long because every field of every object is written here, one `match` arm each, so what
//! the simulator answers for a field can be read in one place.

use std::borrow::Cow;

use chrono::DateTime;

use crate::catalogue::{key, Node, DEFAULT_MESSAGE};
use crate::data::{self, Account, Content, Dataset, Message, Person, Reaction};
use crate::errors::GraphError;
use crate::fields::{self, Field};
use crate::ids::{Inbox, ThreadRef};
use crate::json::{Json, Obj};
use crate::paging::{message_scope, Cursor, LinkTo, Links, Page, DEFAULT_LIMIT};
use crate::store::{Attachment, Overlay, ThreadView};

/// Graph's datetime format: `2022-07-12T19:11:07+0000`.
pub fn time(secs: i64) -> Json {
    let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
    Json::from(t.format("%Y-%m-%dT%H:%M:%S%z").to_string())
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

    /// Message `k` as it is now: seeded or added, with its edits and the customer's reaction.
    pub fn message(&self, view: &ThreadView, k: u32) -> Message {
        let mut m = match view.added_message(k) {
            Some(a) => Message {
                r: view.message_ref(k),
                from_business: a.from_business,
                text: Cow::Owned(a.text.clone()),
                content: match a.attachments.is_empty() {
                    true => Content::Text,
                    false => Content::Attached(a.attachments.clone()),
                },
                reactions: Vec::new(),
                reply_to: None,
            },
            None => self.ds.message(&view.base, k),
        };
        if let Some(c) = view.change(k) {
            if let Some((text, _)) = &c.edit {
                m.text = Cow::Owned(text.clone());
            }
            if let Some(customer) = &c.reaction {
                m.reactions.retain(|r| r.by_business);
                m.reactions.extend(customer.iter().map(|emoji| Reaction {
                    emoji: Cow::Owned(emoji.clone()),
                    by_business: false,
                }));
            }
        }
        m
    }

    pub fn created(&self, view: &ThreadView, k: u32) -> i64 {
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
                        Account::Page(t.page).id(),
                        self.ds.customer(t).id
                    )
                    .into(),
                ),
                "snippet" => Some(self.snippet(view).into()),
                "message_count" if messenger => Some(view.visible_total().into()),
                "unread_count" if messenger => Some(self.unread(view).into()),
                "can_reply" => Some(view.base.can_reply.into()),
                "participants" => Some(Json::data(vec![
                    person(t.inbox, &self.ds.customer(t)).into(),
                    person(t.inbox, &Dataset::business(t.mailbox())).into(),
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
        let Some(newest) = view.newest_visible() else {
            return String::new();
        };
        let m = self.message(view, newest);
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
            out.push(person(t.inbox, &Dataset::business(t.mailbox())).into());
        }
        out
    }

    /// A newest-first page of a thread's messages, without unsent ones. Messages outside the
    /// detail window carry only `id` and `created_time`.
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
        let shown = |k: &u32| !view.unsent(*k);
        let (items, dir): (Vec<u32>, _) = match cursor {
            Cursor::First => (
                (0..total).rev().filter(shown).take(take).collect(),
                Cursor::First,
            ),
            Cursor::After(k) => (
                (0..k.min(total)).rev().filter(shown).take(take).collect(),
                Cursor::After(()),
            ),
            Cursor::Before(k) => (
                (k.saturating_add(1)..total)
                    .filter(shown)
                    .take(take)
                    .collect(),
                Cursor::Before(()),
            ),
        };
        let page = Page::collect(dir, limit, items, |items| match dir {
            Cursor::Before(()) => items.last().is_some_and(|&k| (0..k).any(|j| shown(&j))),
            _ => items
                .first()
                .is_some_and(|&k| (k + 1..total).any(|j| shown(&j))),
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
        if (!detailed || view.unsent(k)) && !nested {
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
        let business = || Dataset::business(t.mailbox());
        let (sender, recipient) = if m.from_business {
            (business(), customer())
        } else {
            (customer(), business())
        };
        match name {
            "from" => Some(person(inbox, &sender).into()),
            "to" => Some(Json::data(vec![person(inbox, &recipient).into()])),
            "message" => Some(m.text.clone().into()),
            "attachments" => match &m.content {
                Content::Attached(list) => Some(Json::data(
                    list.iter()
                        .enumerate()
                        .map(|(i, a)| added_attachment(m, i, a).into())
                        .collect(),
                )),
                content => attachment(inbox, content).map(|a| Json::data(vec![a.into()])),
            },
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
            "reactions" => (!m.reactions.is_empty()).then(|| {
                Json::data(
                    m.reactions
                        .iter()
                        .map(|r| {
                            let who = if r.by_business {
                                business()
                            } else {
                                customer()
                            };
                            Obj::new()
                                .with("reaction", r.emoji.clone())
                                .with("users", Json::Arr(vec![reactor(inbox, &who).into()]))
                                .into()
                        })
                        .collect(),
                )
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
                (Account::Page(_), "name") => o.put("name", account.name()),
                (Account::Instagram, "username") => o.put("username", account.name()),
                (Account::Instagram, "user_id") => o.put("user_id", account.id()),
                _ => {}
            }
        }
        o.put("id", account.id());
        o
    }
}

/// An attachment given to `POST /__sim/messages`: Graph's shape for its type, around the URL
/// the webhook also carried.
fn added_attachment(m: &Message, i: usize, a: &Attachment) -> Obj {
    let id = crate::ids::hash(&[u64::from(m.r.thread.index), u64::from(m.r.index), i as u64])
        % 1_000_000_000_000;
    let (mime, key, ext) = match a.kind.as_str() {
        "image" | "sticker" => ("image/jpeg", "image_data", "jpg"),
        "video" | "reel" | "ig_reel" => ("video/mp4", "video_data", "mp4"),
        "audio" => ("audio/mpeg", "file_url", "mp3"),
        _ => ("application/octet-stream", "file_url", "bin"),
    };
    let o = Obj::new()
        .with("id", id.to_string())
        .with("mime_type", mime)
        .with("name", format!("{}-{id}.{ext}", a.kind));
    match key {
        "file_url" => o.with("file_url", a.url.clone()),
        _ => o.with(
            key,
            Obj::new()
                .with("url", a.url.clone())
                .with("preview_url", a.url.clone()),
        ),
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
