//! What changed since start-up (messages added through `/__sim/messages`), and the walks
//! over an inbox in list order that paging is built on.
//!
//! A thread that gets a new message leaves its seeded place and goes on top with an update
//! time newer than every other thread, so the list is always: bumped threads (newest bump
//! first), then the seeded threads that were not bumped, in index order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use crate::data::{self, Dataset, Thread, ANCHOR};
use crate::ids::{Inbox, MessageRef, ThreadRef};

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

#[derive(Debug, Clone)]
pub struct Added {
    pub created: i64,
    pub from_business: bool,
    pub text: String,
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

#[derive(Debug)]
pub struct Overlay {
    inboxes: [InboxOverlay; 2],
    /// The newest update time of any thread; a new message is always later.
    newest: i64,
}

impl Default for Overlay {
    fn default() -> Self {
        Self {
            inboxes: Default::default(),
            newest: ANCHOR,
        }
    }
}

/// A thread as it is now: the seeded thread plus any added messages.
#[derive(Debug)]
pub struct ThreadView<'a> {
    pub base: Thread,
    pub updated: i64,
    pub added: &'a [Added],
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

    /// The added message `k`, when `k` is past the seeded ones.
    pub fn added_message(&self, k: u32) -> Option<&Added> {
        k.checked_sub(self.base.messages)
            .and_then(|i| self.added.get(i as usize))
    }
}

impl Overlay {
    pub fn view<'a>(&'a self, ds: &Dataset, t: ThreadRef) -> ThreadView<'a> {
        let base = ds.thread(t);
        match self.inboxes[t.inbox.slot()].bumped.get(&t.index) {
            Some(b) => ThreadView {
                base,
                updated: b.updated,
                added: &b.added,
            },
            None => ThreadView {
                updated: base.updated,
                base,
                added: &[],
            },
        }
    }

    /// Appends a newest message to a thread, which moves it to the top of its list.
    /// Returns the new message and its time (strictly later than every thread's update time).
    pub fn add(
        &mut self,
        ds: &Dataset,
        t: ThreadRef,
        text: String,
        from_business: bool,
        now: i64,
    ) -> (MessageRef, i64) {
        let created = now.max(self.newest + 1);
        self.newest = created;
        let seeded = ds.thread(t).messages;
        let inbox = &mut self.inboxes[t.inbox.slot()];
        let bumped = inbox.bumped.entry(t.index).or_default();
        if bumped.updated != 0 {
            inbox.order.remove(&Pos::new(bumped.updated, t.index));
        }
        bumped.updated = created;
        bumped.added.push(Added {
            created,
            from_business,
            text,
        });
        let index = seeded + bumped.added.len() as u32 - 1;
        inbox.order.insert(Pos::new(created, t.index), t.index);
        (MessageRef { thread: t, index }, created)
    }

    fn is_bumped(&self, t: ThreadRef) -> bool {
        self.inboxes[t.inbox.slot()].bumped.contains_key(&t.index)
    }

    /// The threads after `cursor` in list order (all of them without a cursor).
    pub fn below<'a>(
        &'a self,
        ds: &'a Dataset,
        inbox: Inbox,
        cursor: Option<Pos>,
    ) -> impl Iterator<Item = ThreadRef> + 'a {
        let order = &self.inboxes[inbox.slot()].order;
        let bumped: Box<dyn Iterator<Item = (&Pos, &u32)>> = match cursor {
            Some(c) => Box::new(order.range(..c).rev()),
            None => Box::new(order.iter().rev()),
        };
        let start = cursor.map_or(0, |c| first_index(ds, inbox, |p| p < c));
        let seeded = (start..ds.thread_count(inbox)).map(move |index| ThreadRef { inbox, index });
        bumped
            .map(move |(_, &index)| ThreadRef { inbox, index })
            .chain(seeded.filter(move |t| !self.is_bumped(*t)))
    }

    /// The threads before `cursor` in list order, nearest first.
    pub fn above<'a>(
        &'a self,
        ds: &'a Dataset,
        inbox: Inbox,
        cursor: Pos,
    ) -> impl Iterator<Item = ThreadRef> + 'a {
        let end = first_index(ds, inbox, |p| p <= cursor);
        let seeded = (0..end)
            .rev()
            .map(move |index| ThreadRef { inbox, index })
            .filter(move |t| !self.is_bumped(*t));
        let bumped = self.inboxes[inbox.slot()]
            .order
            .range((Bound::Excluded(cursor), Bound::Unbounded))
            .map(move |(_, &index)| ThreadRef { inbox, index });
        seeded.chain(bumped)
    }
}

/// The first seeded index whose position satisfies `pred`; seeded positions strictly
/// decrease with the index, so `pred` is false then true and a binary search finds the switch.
fn first_index(ds: &Dataset, inbox: Inbox, pred: impl Fn(Pos) -> bool) -> u32 {
    let (mut lo, mut hi) = (0u32, ds.thread_count(inbox));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let t = ThreadRef { inbox, index: mid };
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

    fn walk(o: &Overlay, ds: &Dataset) -> Vec<u32> {
        o.below(ds, Inbox::Messenger, None)
            .map(|t| t.index)
            .collect()
    }

    #[test]
    fn bumped_thread_moves_to_the_top_and_walks_agree_both_ways() {
        let ds = Dataset::new(3, 50, 5, (1, 3));
        let mut o = Overlay::default();
        let t = |index| ThreadRef {
            inbox: Inbox::Messenger,
            index,
        };
        o.add(&ds, t(30), "a".into(), false, 0);
        o.add(&ds, t(10), "b".into(), false, 0);
        o.add(&ds, t(30), "c".into(), true, 0);
        let all = walk(&o, &ds);
        assert_eq!(&all[..3], &[30, 10, 0]);
        assert_eq!(all.len(), 50);

        // From any item, "below" continues and "above" goes back exactly the other way.
        for (i, &index) in all.iter().enumerate() {
            let pos = o.view(&ds, t(index)).pos();
            let below: Vec<u32> = o
                .below(&ds, Inbox::Messenger, Some(pos))
                .map(|t| t.index)
                .collect();
            assert_eq!(below, all[i + 1..]);
            let mut above: Vec<u32> = o
                .above(&ds, Inbox::Messenger, pos)
                .map(|t| t.index)
                .collect();
            above.reverse();
            assert_eq!(above, all[..i]);
        }
        assert_eq!(o.view(&ds, t(30)).added.len(), 2);
    }
}
