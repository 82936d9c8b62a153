//! The seeded synthetic inboxes.
//!
//! Nothing is stored: thread `i` and message `k` are computed from `hash(seed, inbox, i, k)`
//! whenever they are needed, so an inbox of 100,000 threads with thousands of messages each
//! costs no memory. Thread times strictly decrease with the index, which makes "newest
//! updated first" simply "index order" and lets a cursor find its place by binary search.
//!
//! Long on purpose: every kind of generated content (text, media, shares, stories, reactions) is one function here, next to the hashing they share.

pub mod text;

use std::borrow::Cow;

use crate::ids::{extend, hash, unit, Codec, Inbox, Mailbox, MessageRef, ThreadRef};

/// The business accounts a token can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// A Facebook Page, with a Messenger inbox and the inbox of its linked Instagram account.
    /// `Page(0)` is the fixed Page `Kitty Café`; `Page(k)`, k ≥ 1, is extra Page k (`--pages`).
    Page(u32),
    /// The Instagram professional account `kittycafe` (Instagram Login).
    Instagram,
}

pub const PAGE_ID: &str = "106000000000001";
pub const PAGE_NAME: &str = "Kitty Café";
pub const IG_ID: &str = "17841400000000001";
pub const IG_USERNAME: &str = "kittycafe";
pub const PAGE_TOKEN: &str = "sim-page-token";
pub const IG_TOKEN: &str = "sim-ig-token";
/// Customer `i` of the Messenger inbox has PSID `PSID_BASE + i`.
pub const PSID_BASE: u64 = 24_000_000_000_000_000;
/// Customer `i` of the Instagram inbox has IGSID `IGSID_BASE + i`.
pub const IGSID_BASE: u64 = 17_850_000_000_000_000;
/// Extra Page k has ID `EXTRA_PAGE_ID_BASE + k`.
pub const EXTRA_PAGE_ID_BASE: u64 = 106_000_000_100_000;
/// The Instagram account linked to extra Page k has ID `EXTRA_IG_ID_BASE + k`.
pub const EXTRA_IG_ID_BASE: u64 = 17_841_400_100_000_000;
/// Customer `i` of extra Page k has PSID `PSID_BASE + k × CUSTOMER_STRIDE + i` (IGSIDs
/// likewise): PSIDs are Page-scoped on Graph, so no two Pages share a customer ID.
pub const CUSTOMER_STRIDE: u64 = 100_000_000;
/// The most extra Pages `--pages` may ask for.
pub const MAX_PAGES: u32 = 100_000;

/// The instant the seeded data is "as of": fixed, so every run serves the same bytes.
/// 2026-11-20T09:00:00+0000.
pub const ANCHOR: i64 = 1_795_165_200;
/// Request-folder threads idle for longer than this (before `ANCHOR`) are never listed.
pub const REQUEST_IDLE_SECS: i64 = 30 * 86_400;
/// The seeded threads' update times spread over this many seconds before `ANCHOR`.
const SPAN_SECS: i64 = 180 * 86_400;

/// A number-valued ID: the fixed one for page 0, else `base + page`.
fn numbered(page: u32, fixed: &'static str, base: u64) -> Cow<'static, str> {
    match page {
        0 => Cow::Borrowed(fixed),
        k => Cow::Owned((base + u64::from(k)).to_string()),
    }
}

impl Account {
    pub fn id(self) -> Cow<'static, str> {
        match self {
            Account::Page(k) => numbered(k, PAGE_ID, EXTRA_PAGE_ID_BASE),
            Account::Instagram => Cow::Borrowed(IG_ID),
        }
    }

    /// A distinct number per account (the fixed ones keep 0 and 1), for hashing.
    pub fn ordinal(self) -> u64 {
        match self {
            Account::Page(0) => 0,
            Account::Instagram => 1,
            Account::Page(k) => u64::from(k) + 1,
        }
    }

    /// The page number of the inboxes this account reads (0 for the fixed accounts).
    pub fn page(self) -> u32 {
        match self {
            Account::Page(k) => k,
            Account::Instagram => 0,
        }
    }

    /// The inboxes a Page token can read; `Dataset::inboxes` drops an extra Page's Instagram
    /// inbox when it has none.
    fn all_inboxes(self) -> &'static [Inbox] {
        match self {
            Account::Page(_) => &[Inbox::Messenger, Inbox::Instagram],
            Account::Instagram => &[Inbox::Instagram],
        }
    }

    /// The inbox `/{id}/conversations` lists when no `platform` is given.
    pub fn default_inbox(self) -> Inbox {
        self.all_inboxes()[0]
    }

    pub fn mailbox(self, inbox: Inbox) -> Mailbox {
        Mailbox {
            page: self.page(),
            inbox,
        }
    }

    pub fn host(self) -> &'static str {
        match self {
            Account::Page(_) => "facebook",
            Account::Instagram => "instagram",
        }
    }

    /// Graph's name for the node type, as it appears in error messages.
    pub fn node_type(self) -> &'static str {
        match self {
            Account::Page(_) => "Page",
            Account::Instagram => "User",
        }
    }

    /// The Page's name, or the Instagram account's username.
    pub fn name(self) -> Cow<'static, str> {
        match self {
            Account::Page(0) => Cow::Borrowed(PAGE_NAME),
            Account::Page(k) => Cow::Owned(format!("{PAGE_NAME} {k}")),
            Account::Instagram => Cow::Borrowed(IG_USERNAME),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    /// The requests folder.
    Pending,
    PageDone,
    Other,
    Spam,
}

impl Folder {
    pub const ALL: [Folder; 5] = [
        Folder::Inbox,
        Folder::Pending,
        Folder::PageDone,
        Folder::Other,
        Folder::Spam,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Folder::Inbox => "inbox",
            Folder::Pending => "pending",
            Folder::PageDone => "page_done",
            Folder::Other => "other",
            Folder::Spam => "spam",
        }
    }

    pub fn parse(s: &str) -> Option<Folder> {
        Folder::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
    }
}

/// Someone taking part in a thread. Messenger shows `name` and `email`, Instagram `username`.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: Cow<'static, str>,
    pub username: Cow<'static, str>,
}

impl Person {
    /// Messenger's participant email: a relay address, never the person's own.
    pub fn email(&self) -> String {
        format!("{}@facebook.com", self.id)
    }
}

/// A seeded thread, before any message added through the control API.
#[derive(Debug, Clone)]
pub struct Thread {
    pub r: ThreadRef,
    pub updated: i64,
    /// Number of seeded messages.
    pub messages: u32,
    pub folder: Folder,
    pub can_reply: bool,
    pub is_owner: bool,
    /// Whether the business has not read the customer's latest messages.
    pub unread: bool,
    /// Typical seconds between two messages of this thread.
    gap: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub asset: u64,
    pub width: u32,
    pub height: u32,
    pub size: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text,
    Image(Media),
    Video(Media),
    File {
        asset: u64,
        name: &'static str,
        mime: &'static str,
        size: u32,
    },
    Share {
        id: u64,
        link: &'static str,
        name: &'static str,
        description: &'static str,
    },
    StoryReply {
        asset: u64,
    },
    StoryMention {
        asset: u64,
    },
    Sticker {
        asset: u64,
    },
    Unsupported,
    /// The attachments of a message added through the control API.
    Attached(Vec<crate::store::Attachment>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub emoji: Cow<'static, str>,
    pub by_business: bool,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub r: MessageRef,
    pub from_business: bool,
    /// Empty when the message is only an attachment, a share, a sticker or unsupported.
    pub text: Cow<'static, str>,
    pub content: Content,
    /// At most one per person.
    pub reactions: Vec<Reaction>,
    /// Index of the earlier message this one replies to.
    pub reply_to: Option<u32>,
}

/// Inbox sizes: the fixed accounts' and every extra Page's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sizes {
    /// Messenger and Instagram threads of the fixed accounts.
    pub threads: [u32; 2],
    /// Extra Pages, numbered 1..=pages.
    pub pages: u32,
    /// Messenger and Instagram threads of each extra Page.
    pub page_threads: [u32; 2],
    /// Seeded messages per thread, MIN..=MAX.
    pub messages: (u32, u32),
}

/// The generator: sizes and seed, nothing else, however many Pages there are.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub codec: Codec,
    seed: u64,
    sizes: Sizes,
}

/// Mixed into the hashes of extra Pages, so each Page's inbox is its own.
const PAGE_TAG: u64 = 0x7061_6765;

impl Dataset {
    pub fn new(seed: u64, sizes: Sizes) -> Self {
        Self {
            codec: Codec::new(seed),
            seed,
            sizes,
        }
    }

    /// The fixed accounts only, as before extra Pages existed (for unit tests).
    #[cfg(test)]
    pub fn fixed(seed: u64, messenger: u32, instagram: u32, messages: (u32, u32)) -> Self {
        let threads = [messenger, instagram];
        Self::new(
            seed,
            Sizes {
                threads,
                messages,
                ..Sizes::default()
            },
        )
    }

    pub fn pages(&self) -> u32 {
        self.sizes.pages
    }

    /// Threads of an inbox; 0 for a page that does not exist.
    pub fn thread_count(&self, mb: Mailbox) -> u32 {
        let sizes = match mb.page {
            0 => &self.sizes.threads,
            k if k <= self.sizes.pages => &self.sizes.page_threads,
            _ => return 0,
        };
        sizes[mb.inbox.slot()]
    }

    /// The inboxes `account`'s token reads: an extra Page without Instagram threads has no
    /// linked Instagram account.
    pub fn inboxes(&self, account: Account) -> &'static [Inbox] {
        let all = account.all_inboxes();
        let mb = account.mailbox(Inbox::Instagram);
        match account {
            Account::Page(k) if k > 0 && self.thread_count(mb) == 0 => &all[..1],
            _ => all,
        }
    }

    /// The account an ID names, when it exists.
    pub fn account(&self, id: &str) -> Option<Account> {
        match id {
            PAGE_ID => Some(Account::Page(0)),
            IG_ID => Some(Account::Instagram),
            _ => {
                let n: u64 = id.parse().ok()?;
                let k = u32::try_from(n.checked_sub(EXTRA_PAGE_ID_BASE)?).ok()?;
                (1..=self.sizes.pages)
                    .contains(&k)
                    .then_some(Account::Page(k))
            }
        }
    }

    /// Every account: the fixed Page, the Instagram account, then the extra Pages in order.
    pub fn accounts(&self) -> impl Iterator<Item = Account> {
        [Account::Page(0), Account::Instagram]
            .into_iter()
            .chain((1..=self.sizes.pages).map(Account::Page))
    }

    fn h(&self, mb: Mailbox, parts: &[u64]) -> u64 {
        let slot = mb.inbox.slot() as u64;
        // Page 0 keeps the hashes it had before extra Pages existed.
        let base = match mb.page {
            0 => hash(&[self.seed, slot]),
            k => hash(&[self.seed, slot, PAGE_TAG, u64::from(k)]),
        };
        extend(base, parts.iter().copied())
    }

    /// Seconds between consecutive threads: the inbox spans `SPAN_SECS`, at least a minute apart.
    fn thread_spacing(&self, mb: Mailbox) -> i64 {
        (SPAN_SECS / i64::from(self.thread_count(mb).max(1))).max(60)
    }

    /// Strictly decreasing in the index: consecutive threads are `spacing ± jitter` apart with
    /// jitter below `spacing`, so no two threads share a time.
    pub fn base_updated(&self, t: ThreadRef) -> i64 {
        let g = self.thread_spacing(t.mailbox());
        let jitter = (self.h(t.mailbox(), &[1, u64::from(t.index)]) % g as u64) as i64;
        ANCHOR - i64::from(t.index) * g - jitter
    }

    pub fn contains(&self, t: ThreadRef) -> bool {
        t.index < self.thread_count(t.mailbox())
    }

    pub fn thread(&self, t: ThreadRef) -> Thread {
        let h = |k: u64| self.h(t.mailbox(), &[k, u64::from(t.index)]);
        let (lo, hi) = self.sizes.messages;
        let span = u64::from(hi - lo) + 1;
        let folder_roll = unit(h(3));
        let folder = match t.inbox {
            Inbox::Instagram if folder_roll < 0.15 => Folder::Pending,
            Inbox::Instagram => Folder::Inbox,
            Inbox::Messenger => match folder_roll {
                r if r < 0.12 => Folder::Pending,
                r if r < 0.17 => Folder::PageDone,
                r if r < 0.20 => Folder::Other,
                r if r < 0.22 => Folder::Spam,
                _ => Folder::Inbox,
            },
        };
        const GAPS: [i64; 6] = [30, 120, 600, 1_800, 3_600, 10_800];
        Thread {
            r: t,
            updated: self.base_updated(t),
            messages: lo + (h(2) % span) as u32,
            folder,
            can_reply: unit(h(4)) >= 0.05,
            is_owner: unit(h(5)) >= 0.03,
            unread: unit(h(6)) < 0.4,
            gap: GAPS[(h(7) % GAPS.len() as u64) as usize],
        }
    }

    /// The thread's customer: one per thread, so `user_id` finds exactly one thread.
    pub fn customer(&self, t: ThreadRef) -> Person {
        let h = |k: u64| self.h(t.mailbox(), &[8, u64::from(t.index), k]);
        let pick =
            |list: &'static [&'static str], k: u64| list[(h(k) % list.len() as u64) as usize];
        let c = &text::CULTURES[(h(0) % text::CULTURES.len() as u64) as usize];
        let (first, last) = (pick(c.first, 1), pick(c.last, 2));
        let name = if c.family_first {
            format!("{last} {first}")
        } else {
            format!("{first} {last}")
        };
        let sep = ["_", ".", ""][(h(3) % 3) as usize];
        let digits = match h(4) % 3 {
            0 => String::new(),
            _ => (h(5) % 100).to_string(),
        };
        let username = format!(
            "{}{sep}{}{digits}",
            pick(text::USER_ADJ, 6),
            pick(text::USER_NOUN, 7)
        );
        Person {
            id: (customer_base(t.mailbox()) + u64::from(t.index)).to_string(),
            name: name.into(),
            username: username.into(),
        }
    }

    /// The business side of an inbox: its Page, or its Instagram account.
    pub fn business(mb: Mailbox) -> Person {
        let page = Account::Page(mb.page);
        let id = match mb.inbox {
            Inbox::Messenger => page.id(),
            Inbox::Instagram => numbered(mb.page, IG_ID, EXTRA_IG_ID_BASE),
        };
        let username = match mb.page {
            0 => Cow::Borrowed(IG_USERNAME),
            k => Cow::Owned(format!("{IG_USERNAME}{k}")),
        };
        Person {
            id: id.into_owned(),
            name: page.name(),
            username,
        }
    }

    /// The thread whose customer has this PSID / IGSID.
    pub fn find_customer(&self, mb: Mailbox, user_id: &str) -> Option<ThreadRef> {
        let n: u64 = user_id.parse().ok()?;
        let index = u32::try_from(n.checked_sub(customer_base(mb))?).ok()?;
        let t = ThreadRef::new(mb, index);
        self.contains(t).then_some(t)
    }

    /// Whether a seeded message was sent by the business. The customer always opens the thread.
    pub fn sent_by_business(&self, th: &Thread, k: u32) -> bool {
        let h = self.h(th.r.mailbox(), &[9, u64::from(th.r.index), u64::from(k)]);
        k > 0 && unit(h) < 0.45
    }

    /// Strictly increasing in `k`, with the newest seeded message at the thread's update time.
    pub fn created(&self, th: &Thread, k: u32) -> i64 {
        let newest = th.messages.saturating_sub(1);
        let steps = i64::from(newest.saturating_sub(k));
        let jitter = if k >= newest {
            0
        } else {
            (self.h(th.r.mailbox(), &[10, u64::from(th.r.index), u64::from(k)]) % th.gap as u64)
                as i64
        };
        th.updated - steps * th.gap - jitter
    }

    /// Seeded message `k` (< `th.messages`) of a thread.
    pub fn message(&self, th: &Thread, k: u32) -> Message {
        let inbox = th.r.inbox;
        let mb = th.r.mailbox();
        let h = |j: u64| self.h(mb, &[11, u64::from(th.r.index), u64::from(k), j]);
        let asset = h(1) % 1_000_000_000_000;
        let from_business = self.sent_by_business(th, k);
        let media = |landscape: bool| {
            let (w, hgt) = if landscape { (1280, 720) } else { (1080, 1350) };
            Media {
                asset,
                width: w,
                height: hgt,
                size: 40_000 + (h(2) % 4_000_000) as u32,
            }
        };
        let roll = unit(h(0));
        let content = match roll {
            r if r < 0.02 && !from_business => Content::Unsupported,
            r if r < 0.10 => Content::Image(media(h(3) % 2 == 0)),
            r if r < 0.13 => Content::Video(media(true)),
            r if r < 0.16 => {
                let (name, mime) = text::FILES[(h(3) % text::FILES.len() as u64) as usize];
                Content::File {
                    asset,
                    name,
                    mime,
                    size: 2_000 + (h(2) % 900_000) as u32,
                }
            }
            r if r < 0.21 => {
                let (link, name, description) =
                    text::SHARES[(h(3) % text::SHARES.len() as u64) as usize];
                Content::Share {
                    id: asset,
                    link,
                    name,
                    description,
                }
            }
            r if r < 0.24 && inbox == Inbox::Instagram && !from_business => {
                Content::StoryReply { asset }
            }
            r if r < 0.26 && inbox == Inbox::Instagram && !from_business => {
                Content::StoryMention { asset }
            }
            r if r < 0.26 && inbox == Inbox::Messenger => Content::Sticker { asset },
            _ => Content::Text,
        };
        let text = match content {
            Content::Text | Content::StoryReply { .. } => {
                let bank = if from_business {
                    text::BUSINESS_TEXTS
                } else {
                    text::CUSTOMER_TEXTS
                };
                Cow::Borrowed(bank[(h(4) % bank.len() as u64) as usize])
            }
            _ => Cow::Borrowed(""),
        };
        let reaction = (unit(h(5)) < 0.12).then(|| Reaction {
            emoji: Cow::Borrowed(text::REACTIONS[(h(6) % text::REACTIONS.len() as u64) as usize]),
            by_business: !from_business,
        });
        let reply_to =
            (k > 0 && unit(h(7)) < 0.08).then(|| k - 1 - (h(8) % u64::from(k.min(5))) as u32);
        Message {
            r: MessageRef {
                thread: th.r,
                index: k,
            },
            from_business,
            text,
            content,
            reactions: reaction.into_iter().collect(),
            reply_to,
        }
    }
}

/// The PSID (Messenger) or IGSID (Instagram) of an inbox's customer 0.
pub fn customer_base(mb: Mailbox) -> u64 {
    let base = match mb.inbox {
        Inbox::Messenger => PSID_BASE,
        Inbox::Instagram => IGSID_BASE,
    };
    base + u64::from(mb.page) * CUSTOMER_STRIDE
}

/// Whether a thread appears in lists: request-folder threads idle for more than 30 days do not.
pub fn listed(folder: Folder, updated: i64) -> bool {
    folder != Folder::Pending || updated >= ANCHOR - REQUEST_IDLE_SECS
}

/// A signed-looking CDN URL for an asset, in the style of each platform's media hosts.
pub fn cdn_url(inbox: Inbox, asset: u64, variant: &str) -> String {
    let sig = hash(&[asset, variant.len() as u64]);
    match inbox {
        Inbox::Messenger => format!(
            "https://scontent.xx.fbcdn.net/v/t1.15752-9/{asset}_{variant}.jpg?_nc_cat=1&_nc_sid=sim&oh=00_{sig:016x}&oe=6A000000"
        ),
        Inbox::Instagram => format!(
            "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={asset}&type={variant}&signature={sig:016x}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_strictly_newest_first_and_messages_oldest_to_newest() {
        let ds = Dataset::fixed(42, 300, 10, (1, 60));
        let mut prev = i64::MAX;
        for index in 0..300 {
            let t = ds.thread(ThreadRef {
                page: 0,
                inbox: Inbox::Messenger,
                index,
            });
            assert!(t.updated < prev);
            prev = t.updated;
            let times: Vec<i64> = (0..t.messages).map(|k| ds.created(&t, k)).collect();
            assert!(times.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(times.last(), Some(&t.updated));
        }
    }

    #[test]
    fn customers_map_back_to_their_thread() {
        let sizes = Sizes {
            threads: [100, 100],
            pages: 3,
            page_threads: [60, 60],
            messages: (1, 5),
        };
        let ds = Dataset::new(42, sizes);
        for (inbox, page) in Inbox::ALL.into_iter().flat_map(|i| [(i, 0), (i, 2)]) {
            let mb = Mailbox { page, inbox };
            let t = ThreadRef::new(mb, 57);
            assert_eq!(ds.find_customer(mb, &ds.customer(t).id), Some(t));
            let other = Mailbox { page: 1, inbox };
            assert_eq!(ds.find_customer(other, &ds.customer(t).id), None);
        }
        let messenger = Mailbox {
            page: 0,
            inbox: Inbox::Messenger,
        };
        assert_eq!(ds.find_customer(messenger, "24000000000000100"), None);
        assert_eq!(ds.find_customer(messenger, "abc"), None);
        assert_eq!(ds.find_customer(messenger, "1"), None);
        assert_eq!(ds.account("106000000100003"), Some(Account::Page(3)));
        assert_eq!(ds.account("106000000100004"), None);
        assert_eq!(ds.account("106000000100000"), None);
    }
}
