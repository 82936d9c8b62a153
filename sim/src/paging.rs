//! Paging a newest-first list: where a page starts, whether more lies on either side, and the
//! `cursors`, `next` and `previous` Graph answers with.

use crate::errors::GraphError;
use crate::ids::{hash, Mailbox, ThreadRef};
use crate::json::{Json, Obj};
use crate::query::{self, Query};

/// `limit` when none is given, for lists and for nested `messages`.
pub const DEFAULT_LIMIT: u32 = 25;

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

/// The cursor scope of a thread list: the inbox slot (0 or 1) for the fixed accounts, and
/// above that one pair of scopes per extra Page, so a cursor only pages its own list.
pub fn list_scope(mb: Mailbox) -> u64 {
    (u64::from(mb.page) << 2) | mb.inbox.slot() as u64
}

/// The cursor scope of a thread's message list. An extra Page's thread has no room for its
/// page next to the index, so its scope is a hash (bit 47 keeps it apart from the others).
pub fn message_scope(t: ThreadRef) -> u64 {
    let slot = t.inbox.slot() as u64;
    match t.page {
        0 => (1 << 40) | (slot << 32) | u64::from(t.index),
        p => (1 << 47) | (hash(&[u64::from(p), slot, u64::from(t.index)]) >> 17),
    }
}
