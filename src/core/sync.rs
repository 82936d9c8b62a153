//! The sync planner: which request comes next when importing a whole inbox, and what to do with
//! each answer. Pure: state plus the last result gives the next action; the executor
//! (`crate::sync`) only carries actions out.
//!
//! Plan, per page of the conversation list (newest-updated first):
//! - one list request brings the threads with their participants and, by nested expansion,
//!   their newest messages: details for the newest `details_per_conversation`, ids and
//!   `created_time` for older ones up to the nested limit;
//! - a thread with more messages than that is paged through the `/messages` edge, ids only
//!   (Meta keeps no details beyond the newest 20);
//! - `since` stops the walk at the first thread updated before it (the list has no time filter);
//! - the size of list requests is learned as the walk goes (`core::sizing`): a request that
//!   seems too heavy is retried smaller on the same cursor, successes grow it back.
//!
//! Checkpoints name the cursor that starts the current list page and the threads of that page
//! already yielded, so a resumed run re-reads that page, skips them and goes on: together with
//! the interrupted run it yields exactly the set an uninterrupted run would. Their format is
//! `core::checkpoint`'s.
//!
//! Long because of its tests: a fifth of the file walks the planner through recoveries and resumes.

use serde_json::{Map, Value};

use crate::core::checkpoint::{decode_checkpoint, encode_checkpoint, Checkpoint};
use crate::core::error::GraphApiError;
use crate::core::fields::{Field, FieldList};
use crate::core::ids::{path_segment, validate_id};
use crate::core::idset::IdSet;
use crate::core::models::MESSAGE;
use crate::core::options::Platform;
use crate::core::paging::next_cursor;
use crate::core::request::RequestSpec;
use crate::core::retry::RetryPolicy;
use crate::core::sizing::{RequestSize, Shrink, DEFAULT_MAX_PAGE_SIZE};
use crate::core::time::{format_graph_time, parse_graph_time};

/// Meta keeps details for the newest 20 messages of a thread.
pub const MAX_DETAILS: u32 = 20;
const OLDER_PAGE_SIZE: u32 = 100;
/// Failures of other kinds (throttling the client could not wait out) before a sync gives up.
const OTHER_FAILURES: u32 = 8;

/// What the caller asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncSettings {
    pub platform: Option<Platform>,
    /// Unix seconds; threads updated before it are not fetched again.
    pub since: Option<i64>,
    pub details_per_conversation: Option<u32>,
    pub concurrency: Option<u32>,
    pub checkpoint: Option<String>,
    pub page_size: Option<u32>,
}

/// A thread taken from a list page, waiting for its older message ids.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingThread {
    pub id: String,
    /// The conversation without its nested `messages`.
    pub conversation: Value,
    /// Newest first, ids unique.
    pub messages: Vec<Value>,
    /// Cursor for the next page of older message ids, if any.
    pub older_after: Option<String>,
    seen_messages: IdSet,
}

impl PendingThread {
    /// The request for the next page of older message ids, if there is one.
    pub fn older_request(&self) -> Option<RequestSpec> {
        let after = self.older_after.as_ref()?;
        Some(RequestSpec {
            path: format!("/{}/messages", path_segment(&self.id)),
            query: vec![
                ("fields".to_owned(), "id,created_time".to_owned()),
                ("limit".to_owned(), OLDER_PAGE_SIZE.to_string()),
                ("after".to_owned(), after.clone()),
            ],
        })
    }

    /// Takes a page of older message ids (normalised `{data, paging}`).
    pub fn accept_older(&mut self, page: Value) {
        let next = next_cursor(page.get("paging"));
        self.take_messages(page);
        // A repeated cursor would loop: stop instead.
        self.older_after = next.filter(|c| Some(c) != self.older_after.as_ref());
    }

    /// Moves the messages of a `{data: [...]}` page in, each id once.
    fn take_messages(&mut self, mut page: Value) {
        let Some(Value::Array(data)) = page.get_mut("data").map(Value::take) else {
            return;
        };
        for m in data {
            let Some(id) = m.get("id").and_then(Value::as_str) else {
                continue;
            };
            if self.seen_messages.insert(id) {
                self.messages.push(m);
            }
        }
    }
}

/// Progress of the list walk.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncPlanner {
    resume: Checkpoint,
    size: RequestSize,
    concurrency: u32,
    /// Threads of the current page still to skip (from a checkpoint). Full ids, not an `IdSet`:
    /// every checkpoint names them again; a checkpoint holds one page of them, so a linear
    /// search is quick.
    skip: Vec<String>,
    /// Conversation ids yielded in this run: a thread that shifts across a page boundary while
    /// the walk goes on is not yielded twice.
    seen: IdSet,
    /// The cursor of the page after the current one, once the current one has been read.
    next_after: Option<String>,
    seen_cursors: IdSet,
    finished: bool,
    other_failures: u32,
}

impl SyncPlanner {
    pub fn new(page_id: &str, settings: &SyncSettings) -> Result<Self, GraphApiError> {
        validate_id(page_id, "pageId")?;
        let bad = GraphApiError::invalid_argument;
        let details = settings.details_per_conversation.unwrap_or(MAX_DETAILS);
        if details == 0 || details > MAX_DETAILS {
            return Err(bad(
                "detailsPerConversation must be 1 to 20 (Meta keeps 20)",
            ));
        }
        let concurrency = settings.concurrency.unwrap_or(2);
        if !(1..=16).contains(&concurrency) {
            return Err(bad("concurrency must be 1 to 16"));
        }
        let max_page_size = settings.page_size.unwrap_or(DEFAULT_MAX_PAGE_SIZE);
        if !(1..=1000).contains(&max_page_size) {
            return Err(bad("pageSize must be 1 to 1000"));
        }
        let resume = match &settings.checkpoint {
            Some(text) => {
                let resume = decode_checkpoint(text)?;
                if resume.account != page_id || Some(resume.platform) != settings.platform {
                    return Err(bad("checkpoint belongs to another account or platform"));
                }
                resume
            }
            None => Checkpoint {
                account: page_id.to_owned(),
                platform: settings
                    .platform
                    .ok_or_else(|| bad("platform is required: \"messenger\" or \"instagram\""))?,
                since: settings.since,
                details,
                after: None,
                done: Vec::new(),
                newest: None,
                size: None,
            },
        };
        Ok(SyncPlanner {
            skip: resume.done.clone(),
            size: RequestSize::resumed(max_page_size, resume.details, resume.size),
            resume,
            concurrency,
            seen: IdSet::new(),
            next_after: None,
            seen_cursors: IdSet::new(),
            finished: false,
            other_failures: 0,
        })
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency as usize
    }

    pub fn page_size(&self) -> u32 {
        self.size.page()
    }

    /// Nested messages per thread in list requests right now.
    pub fn nested_limit(&self) -> u32 {
        self.size.nested()
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The `since` to pass to the next incremental run: the newest `updated_time` this sync saw
    /// when it started. A thread updated while the sync runs is newer, so the next run gets it.
    pub fn next_since(&self) -> Option<String> {
        self.resume.newest.and_then(format_graph_time)
    }

    fn conversation_fields(&self) -> String {
        let mut fields: Vec<Field> = ["id", "updated_time", "participants"]
            .into_iter()
            .map(Field::new)
            .collect();
        if self.resume.platform == Platform::Messenger {
            // Messenger-only extras; Instagram threads do not carry them.
            fields.extend(
                [
                    "snippet",
                    "message_count",
                    "unread_count",
                    "link",
                    "can_reply",
                ]
                .map(Field::new),
            );
        }
        let details = MESSAGE.requested_fields().map(Field::new).collect();
        fields.push(
            Field::new("messages")
                .with_limit(self.size.nested())
                .with_children(details),
        );
        FieldList(&fields).to_string()
    }

    /// The next list request, or `None` when the walk is over.
    pub fn list_request(&self) -> Option<RequestSpec> {
        if self.finished {
            return None;
        }
        let mut query = vec![
            (
                "platform".to_owned(),
                self.resume.platform.as_str().to_owned(),
            ),
            ("fields".to_owned(), self.conversation_fields()),
            ("limit".to_owned(), self.size.page().to_string()),
        ];
        if let Some(after) = &self.resume.after {
            query.push(("after".to_owned(), after.clone()));
        }
        Some(RequestSpec {
            path: format!("/{}/conversations", path_segment(&self.resume.account)),
            query,
        })
    }

    /// How long to wait for the next list request when that is shorter than the client's
    /// timeout: a request heavier than any that worked (see [`RequestSize::deadline_ms`]).
    pub fn list_deadline_ms(&self) -> Option<f64> {
        self.size.deadline_ms()
    }

    /// Takes a normalised list page, answered `latency_ms` after it was sent; returns its
    /// threads still to yield, in list order. The page is consumed: its threads and their
    /// nested messages move out, so it is never held twice (a page of nested details is the
    /// largest thing a sync holds).
    pub fn accept_list_page(&mut self, mut page: Value, latency_ms: f64) -> Vec<PendingThread> {
        self.other_failures = 0;
        self.size.succeeded(latency_ms);
        let next = next_cursor(page.get("paging"));
        let items = match page.get_mut("data").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for item in items {
            let Some(id) = item.get("id").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            let updated = item
                .get("updated_time")
                .and_then(Value::as_str)
                .and_then(parse_graph_time);
            if self.resume.newest.is_none() {
                self.resume.newest = updated;
            }
            if let (Some(since), Some(updated)) = (self.resume.since, updated) {
                if updated < since {
                    // Newest-first: everything after this is older still.
                    self.finished = true;
                    break;
                }
            }
            if self.skip.contains(&id) || !self.seen.insert(&id) {
                continue;
            }
            out.push(pending(id, item));
        }
        if !out.is_empty() && out.iter().all(|t| t.older_after.is_none()) {
            let longest = out.iter().map(|t| t.messages.len()).max().unwrap_or(0);
            self.size
                .threads_fit(u32::try_from(longest).unwrap_or(u32::MAX));
        }
        if !self.finished {
            // A cursor seen before would walk in a circle: the list is over.
            match next {
                Some(after) if self.seen_cursors.insert(&after) => self.next_after = Some(after),
                _ => self.finished = true,
            }
        }
        out
    }

    /// Finishes a thread: messages beyond the detailed ones keep only `id` and `created_time`.
    /// Returns the synced conversation and its checkpoint.
    pub fn complete(&mut self, thread: PendingThread) -> (Value, String) {
        let details = self.resume.details as usize;
        let messages: Vec<Value> = thread
            .messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| if i < details { m } else { id_and_time(m) })
            .collect();
        self.resume.done.push(thread.id);
        let mut synced = Map::new();
        synced.insert("conversation".to_owned(), thread.conversation);
        synced.insert("messages".to_owned(), Value::Array(messages));
        let checkpoint = self.checkpoint();
        synced.insert("checkpoint".to_owned(), Value::String(checkpoint.clone()));
        (Value::Object(synced), checkpoint)
    }

    /// Moves on to the next list page once every thread of the current one is complete.
    pub fn finish_page(&mut self) {
        self.resume.done.clear();
        // The threads a checkpoint said were done stay skipped for the whole run: the run that
        // wrote it may have read larger pages than this one, so they can still lie ahead.
        match self.next_after.take() {
            Some(after) => self.resume.after = Some(after),
            None => self.finished = true,
        }
    }

    pub fn checkpoint(&self) -> String {
        let mut resume = self.resume.clone();
        resume.size = self.size.learned();
        // Only the current page's ids matter on resume; the skipped ones count as done too.
        resume.done.extend(self.skip.iter().cloned());
        resume.done.sort();
        resume.done.dedup();
        encode_checkpoint(&resume)
    }

    /// What to do after a list request of this sync failed: `Ok(wait)` to send the next list
    /// request (the same cursor, possibly smaller) after `wait` ms, or the error that ends the
    /// sync, its message naming the cause.
    pub fn recover(&mut self, err: GraphApiError, backoff_ms: f64) -> Result<f64, GraphApiError> {
        use crate::core::error::ErrorKind::{MessageUnavailable, RateLimited, ReduceData};
        let refused_nested =
            err.kind == MessageUnavailable || (err.code == Some(100) && err.subcode != Some(33));
        if refused_nested && self.size.nested_refused() {
            return Ok(0.0);
        }
        let announced = err.retry_after_ms.unwrap_or(0) as f64;
        if announced > RetryPolicy::default().max_wait_ms {
            // Graph asks for a longer pause than a sync should sit through: stop here, and the
            // last checkpoint resumes later.
            return Err(err);
        }
        let wait = backoff_ms.max(announced);
        if err.kind == ReduceData || (err.kind.is_sync_recoverable() && err.kind != RateLimited) {
            return match self.size.failed(err.kind == ReduceData) {
                Shrink::Same => Ok(wait),
                Shrink::Smaller => Ok(0.0),
                Shrink::Exhausted => Err(GraphApiError {
                    message: format!(
                        "syncInbox gave up: the smallest list request (1 thread, {} nested \
                         messages) failed {} times in a row; last: {}",
                        self.size.nested(),
                        self.size.failures(),
                        err.message
                    ),
                    ..err
                }),
            };
        }
        self.other_failures += 1;
        if err.kind == RateLimited && self.other_failures <= OTHER_FAILURES {
            return Ok(wait);
        }
        Err(err)
    }
}

/// A thread out of a list page, its nested messages moved into it.
fn pending(id: String, mut item: Value) -> PendingThread {
    let nested = item
        .as_object_mut()
        .and_then(|c| c.remove("messages"))
        .unwrap_or(Value::Null);
    let mut thread = PendingThread {
        id,
        conversation: item,
        messages: Vec::new(),
        older_after: next_cursor(nested.get("paging")),
        seen_messages: IdSet::new(),
    };
    thread.take_messages(nested);
    thread
}

fn id_and_time(m: Value) -> Value {
    let mut out = Map::new();
    for key in ["id", "created_time"] {
        if let Some(v) = m.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn planner() -> SyncPlanner {
        let settings = SyncSettings {
            platform: Some(Platform::Messenger),
            ..Default::default()
        };
        SyncPlanner::new("106000000000001", &settings).unwrap()
    }

    fn page(ids: &[&str], after: Option<&str>) -> Value {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "updated_time": "2026-01-01T00:00:00+0000"}))
            .collect();
        match after {
            Some(a) => json!({"data": data, "paging": {"cursors": {"after": a}, "next": "n"}}),
            None => json!({"data": data}),
        }
    }

    fn walk(p: &mut SyncPlanner, body: &Value) -> Vec<String> {
        let threads = p.accept_list_page(body.clone(), 0.0);
        let ids = threads.iter().map(|t| t.id.clone()).collect();
        for t in threads {
            p.complete(t);
        }
        p.finish_page();
        ids
    }

    #[test]
    fn the_first_request_asks_for_threads_with_nested_messages() {
        let spec = planner().list_request().unwrap();
        assert_eq!(spec.path, "/106000000000001/conversations");
        let fields = spec.get("fields").unwrap();
        assert!(
            fields.starts_with("id,updated_time,participants,"),
            "{fields}"
        );
        assert!(
            fields.contains("messages.limit(50){id,created_time,from,to,message,"),
            "{fields}"
        );
        assert_eq!(spec.get("limit"), Some("25"));
        assert_eq!(spec.get("after"), None);
    }

    #[test]
    fn a_cursor_cycle_ends_the_walk() {
        let mut p = planner();
        assert_eq!(walk(&mut p, &page(&["t1"], Some("A"))), ["t1"]);
        assert_eq!(p.list_request().unwrap().get("after"), Some("A"));
        assert_eq!(walk(&mut p, &page(&["t2"], Some("B"))), ["t2"]);
        // B's page points back at A: stop instead of going round.
        assert_eq!(walk(&mut p, &page(&["t3"], Some("A"))), ["t3"]);
        assert!(p.list_request().is_none());
    }

    #[test]
    fn failures_shrink_then_narrow_then_give_up_naming_the_cause() {
        use crate::core::error::ErrorKind;
        for kind in [
            ErrorKind::ReduceData,
            ErrorKind::Transient,
            ErrorKind::Timeout,
        ] {
            let mut p = planner();
            let mut sizes = Vec::new();
            let last = loop {
                match p.recover(GraphApiError::new(kind, "boom"), 10.0) {
                    Ok(_) => sizes.push(p.page_size()),
                    Err(e) => break e,
                }
                assert!(sizes.len() < 20, "{kind:?} never gives up");
            };
            assert_eq!(
                sizes[..2],
                [6, 1],
                "{kind:?}: a quarter while nothing worked"
            );
            assert!(p
                .list_request()
                .unwrap()
                .get("fields")
                .unwrap()
                .contains("messages.limit(20)"));
            assert_eq!(last.kind, kind);
            assert!(
                last.message.contains("smallest list request"),
                "{}",
                last.message
            );
            assert!(last.message.ends_with("boom"), "{}", last.message);
        }
    }

    #[test]
    fn once_graph_limits_the_size_the_nesting_follows_the_threads_it_reads() {
        let mut p = planner();
        let err = GraphApiError::new(crate::core::error::ErrorKind::ReduceData, "less");
        assert_eq!(p.recover(err, 0.0).unwrap(), 0.0);
        let messages: Vec<Value> = (0..30)
            .map(|i| json!({"id": format!("m{i}"), "created_time": "2026-01-01T00:00:00+0000"}))
            .collect();
        let body = json!({"data": [{"id": "t1", "updated_time": "2026-01-01T00:00:00+0000",
            "messages": {"data": messages}}]});
        let threads = p.accept_list_page(body, 0.0);
        assert_eq!(threads[0].messages.len(), 30);
        assert_eq!(p.nested_limit(), 30);
    }

    #[test]
    fn a_refusal_of_nested_details_narrows_the_nesting_once() {
        let mut refusal = GraphApiError::new(crate::core::error::ErrorKind::Graph, "(#100) no");
        refusal.code = Some(100);
        let mut p = planner();
        assert_eq!(p.recover(refusal.clone(), 10.0).unwrap(), 0.0);
        assert_eq!(p.nested_limit(), 20);
        assert_eq!(p.page_size(), 25);
        // Once narrow, the same answer is a real error.
        assert!(p.recover(refusal, 10.0).is_err());
    }

    #[test]
    fn a_checkpoint_resumes_on_the_same_page_after_the_last_thread() {
        let mut p = planner();
        let body = page(&["t1", "t2", "t3"], Some("A"));
        let threads = p.accept_list_page(body.clone(), 0.0);
        let (_, checkpoint) = p.complete(threads[0].clone());
        let settings = SyncSettings {
            platform: Some(Platform::Messenger),
            checkpoint: Some(checkpoint),
            ..Default::default()
        };
        let mut resumed = SyncPlanner::new("106000000000001", &settings).unwrap();
        assert_eq!(resumed.list_request().unwrap().get("after"), None);
        assert_eq!(walk(&mut resumed, &body), ["t2", "t3"]);
        assert_eq!(resumed.list_request().unwrap().get("after"), Some("A"));
    }

    #[test]
    fn a_checkpoint_carries_the_size_graph_served() {
        let mut p = planner();
        let heavy = GraphApiError::new(crate::core::error::ErrorKind::Transient, "oops");
        assert_eq!(p.recover(heavy, 10.0).unwrap(), 0.0);
        assert_eq!(p.page_size(), 6, "25 failed, nothing worked yet");
        let threads = p.accept_list_page(page(&["t1", "t2"], Some("A")), 0.0);
        let (_, checkpoint) = p.complete(threads[0].clone());
        let settings = SyncSettings {
            platform: Some(Platform::Messenger),
            checkpoint: Some(checkpoint),
            ..Default::default()
        };
        let resumed = SyncPlanner::new("106000000000001", &settings).unwrap();
        // Resumed at the size that worked, not at 25 again.
        assert_eq!(resumed.list_request().unwrap().get("limit"), Some("6"));
    }
}
