//! What changed since start-up (messages added through `/__sim/messages`; reactions, edits,
//! reads and unsends through the other control calls), and the walks over an inbox in list
//! order that paging is built on.
//!
//! A thread that gets a new message leaves its seeded place and goes on top with an update
//! time newer than every seeded thread, so the list is always: bumped threads (newest bump
//! first; threads bumped in the same second by index, as Graph's whole-second times tie), then
//! the seeded threads that were not bumped, in index order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use crate::data::{self, Dataset, Thread, ANCHOR};
use crate::ids::{Mailbox, MessageRef, ThreadRef};

/// A thread's place in its list; a larger `Pos` comes earlier (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub time: i64,
    index: Reverse<u32>,
}

impl Pos {
    pub fn new(time: i64, index: u32) -> Self {
        Self {
            time,
            index: Reverse(index),
        }
    }

    pub fn index(self) -> u32 {
        self.index.0
    }
}

/// An attachment of an added message: a type Meta's webhooks name (`image`, `video`, `audio`,
/// `file`, …) and the URL both the webhook and Graph show.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Added {
    pub created: i64,
    pub from_business: bool,
    pub text: String,
    pub attachments: Vec<Attachment>,
}

/// What the control calls changed on one message, seeded or added.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The customer's reaction as last set: `Some(Some(emoji))` after a react,
    /// `Some(None)` after an unreact (which also hides a seeded customer reaction).
    pub reaction: Option<Option<String>>,
    /// The latest text and how many edits led to it.
    pub edit: Option<(String, u32)>,
    pub unsent: bool,
}

/// How far the customer has read a thread: Messenger keeps a watermark in ms, Instagram the
/// newest message seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Watermark(i64),
    Mid(MessageRef),
}

#[derive(Debug, Default)]
struct Bumped {
    updated: i64,
    added: Vec<Added>,
}

#[derive(Debug, Default)]
struct InboxOverlay {
    bumped: HashMap<u32, Bumped>,
    order: BTreeMap<Pos, u32>,
}

#[derive(Debug, Default)]
pub struct Overlay {
    /// Only inboxes that changed have an entry, so thousands of Pages cost nothing until used.
    inboxes: HashMap<Mailbox, InboxOverlay>,
    changes: HashMap<MessageRef, Change>,
    reads: HashMap<ThreadRef, Read>,
}

/// A thread as it is now: the seeded thread plus any added messages.
#[derive(Debug)]
pub struct ThreadView<'a> {
    pub base: Thread,
    pub updated: i64,
    pub added: &'a [Added],
    changes: &'a HashMap<MessageRef, Change>,
    pub read: Option<Read>,
}

impl ThreadView<'_> {
    pub fn total(&self) -> u32 {
        self.base.messages + self.added.len() as u32
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.updated, self.base.r.index)
    }

    pub fn listed(&self) -> bool {
        data::listed(self.base.folder, self.updated)
    }

    pub fn message_ref(&self, index: u32) -> MessageRef {
        MessageRef {
            thread: self.base.r,
            index,
        }
    }

    pub fn change(&self, k: u32) -> Option<&Change> {
        if self.changes.is_empty() {
            return None;
        }
        self.changes.get(&self.message_ref(k))
    }

    /// Whether message `k` was unsent: Graph no longer lists it.
    pub fn unsent(&self, k: u32) -> bool {
        self.change(k).is_some_and(|c| c.unsent)
    }

    /// Messages Graph still shows: all but the unsent ones.
    pub fn visible_total(&self) -> u32 {
        let t = self.base.r;
        let unsent = self
            .changes
            .iter()
            .filter(|(m, c)| m.thread == t && c.unsent)
            .count() as u32;
        self.total() - unsent
    }

    /// The newest message that was not unsent.
    pub fn newest_visible(&self) -> Option<u32> {
        (0..self.total()).rev().find(|&k| !self.unsent(k))
    }

    /// The added message `k`, when `k` is past the seeded ones.
    pub fn added_message(&self, k: u32) -> Option<&Added> {
        k.checked_sub(self.base.messages)
            .and_then(|i| self.added.get(i as usize))
    }
}

impl Overlay {
    pub fn view<'a>(&'a self, ds: &Dataset, t: ThreadRef) -> ThreadView<'a> {
        let base = ds.thread(t);
        let bumped = self
            .inboxes
            .get(&t.mailbox())
            .and_then(|i| i.bumped.get(&t.index));
        let (updated, added) = match bumped {
            Some(b) => (b.updated, &b.added[..]),
            None => (base.updated, &[][..]),
        };
        ThreadView {
            base,
            updated,
            added,
            changes: &self.changes,
            read: self.reads.get(&t).copied(),
        }
    }

    pub fn change_mut(&mut self, m: MessageRef) -> &mut Change {
        self.changes.entry(m).or_default()
    }

    pub fn set_read(&mut self, t: ThreadRef, read: Read) {
        self.reads.insert(t, read);
    }

    /// Appends a newest message to a thread, which moves it to the top of its list.
    /// Returns the new message and its time: now, but later than every seeded thread and than
    /// the thread's own previous message. Not later than every other thread: under heavy
    /// traffic that would run the clock ahead of the wall clock by seconds per second, while
    /// Graph gives messages of the same second the same time.
    pub fn add(
        &mut self,
        ds: &Dataset,
        t: ThreadRef,
        mut message: Added,
        now: i64,
    ) -> (MessageRef, i64) {
        let seeded = ds.thread(t).messages;
        let inbox = self.inboxes.entry(t.mailbox()).or_default();
        let bumped = inbox.bumped.entry(t.index).or_default();
        let created = now.max(ANCHOR + 1).max(bumped.updated + 1);
        if bumped.updated != 0 {
            inbox.order.remove(&Pos::new(bumped.updated, t.index));
        }
        bumped.updated = created;
        message.created = created;
        bumped.added.push(message);
        let index = seeded + bumped.added.len() as u32 - 1;
        inbox.order.insert(Pos::new(created, t.index), t.index);
        (MessageRef { thread: t, index }, created)
    }

    fn is_bumped(&self, t: ThreadRef) -> bool {
        self.inboxes
            .get(&t.mailbox())
            .is_some_and(|i| i.bumped.contains_key(&t.index))
    }

    /// The bumped threads of an inbox by list position (empty when nothing changed there).
    fn order(&self, mb: Mailbox) -> &BTreeMap<Pos, u32> {
        static EMPTY: BTreeMap<Pos, u32> = BTreeMap::new();
        self.inboxes.get(&mb).map_or(&EMPTY, |i| &i.order)
    }

    /// The threads after `cursor` in list order (all of them without a cursor).
    pub fn below<'a>(
        &'a self,
        ds: &'a Dataset,
        mb: Mailbox,
        cursor: Option<Pos>,
    ) -> impl Iterator<Item = ThreadRef> + 'a {
        let order = self.order(mb);
        let bumped: Box<dyn Iterator<Item = (&Pos, &u32)>> = match cursor {
            Some(c) => Box::new(order.range(..c).rev()),
            None => Box::new(order.iter().rev()),
        };
        let start = cursor.map_or(0, |c| first_index(ds, mb, |p| p < c));
        let seeded = (start..ds.thread_count(mb)).map(move |index| ThreadRef::new(mb, index));
        bumped
            .map(move |(_, &index)| ThreadRef::new(mb, index))
            .chain(seeded.filter(move |t| !self.is_bumped(*t)))
    }

    /// The threads before `cursor` in list order, nearest first.
    pub fn above<'a>(
        &'a self,
        ds: &'a Dataset,
        mb: Mailbox,
        cursor: Pos,
    ) -> impl Iterator<Item = ThreadRef> + 'a {
        let end = first_index(ds, mb, |p| p <= cursor);
        let seeded = (0..end)
            .rev()
            .map(move |index| ThreadRef::new(mb, index))
            .filter(move |t| !self.is_bumped(*t));
        let bumped = self
            .order(mb)
            .range((Bound::Excluded(cursor), Bound::Unbounded))
            .map(move |(_, &index)| ThreadRef::new(mb, index));
        seeded.chain(bumped)
    }
}

/// The first seeded index whose position satisfies `pred`; seeded positions strictly
/// decrease with the index, so `pred` is false then true and a binary search finds the switch.
fn first_index(ds: &Dataset, mb: Mailbox, pred: impl Fn(Pos) -> bool) -> u32 {
    let (mut lo, mut hi) = (0u32, ds.thread_count(mb));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let t = ThreadRef::new(mb, mid);
        if pred(Pos::new(ds.base_updated(t), mid)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Inbox;

    const MESSENGER: Mailbox = Mailbox {
        page: 0,
        inbox: Inbox::Messenger,
    };

    fn walk(o: &Overlay, ds: &Dataset) -> Vec<u32> {
        o.below(ds, MESSENGER, None).map(|t| t.index).collect()
    }

    #[test]
    fn bumped_thread_moves_to_the_top_and_walks_agree_both_ways() {
        let ds = Dataset::fixed(3, 50, 5, (1, 3));
        let mut o = Overlay::default();
        let t = |index| ThreadRef::new(MESSENGER, index);
        let msg = |text: &str, from_business| Added {
            created: 0,
            from_business,
            text: text.into(),
            attachments: Vec::new(),
        };
        o.add(&ds, t(30), msg("a", false), 0);
        o.add(&ds, t(10), msg("b", false), 0);
        o.add(&ds, t(30), msg("c", true), 0);
        let all = walk(&o, &ds);
        assert_eq!(&all[..3], &[30, 10, 0]);
        assert_eq!(all.len(), 50);

        // From any item, "below" continues and "above" goes back exactly the other way.
        for (i, &index) in all.iter().enumerate() {
            let pos = o.view(&ds, t(index)).pos();
            let below: Vec<u32> = o
                .below(&ds, MESSENGER, Some(pos))
                .map(|t| t.index)
                .collect();
            assert_eq!(below, all[i + 1..]);
            let mut above: Vec<u32> = o.above(&ds, MESSENGER, pos).map(|t| t.index).collect();
            above.reverse();
            assert_eq!(above, all[..i]);
        }
        assert_eq!(o.view(&ds, t(30)).added.len(), 2);
    }
}
