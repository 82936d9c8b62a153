//! `sync_inbox`: carries out the sync planner's actions (`core::sync`) over the client: list
//! pages with nested messages, older message ids with bounded concurrency, recovery from faults.

use std::collections::VecDeque;

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use futures::future::{maybe_done, poll_fn, MaybeDone};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with_macros::skip_serializing_none;

use crate::client::{Client, ClientStats, Decode, Retries};
use crate::core::error::GraphApiError;
use crate::core::models::{Conversation, Message};
use crate::core::models::{CONVERSATION, MESSAGE};
use crate::core::operations::Expect;
use crate::core::options::Platform;
use crate::core::retry::RetryPolicy;
use crate::core::sync::{PendingThread, SyncPlanner, SyncSettings};
use crate::core::time::parse_graph_time;
use crate::transport::Transport;

/// Options of `syncInbox(pageId, options)` / `Client::sync_inbox`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SyncOptions {
    /// Which inbox: required.
    #[serialize_always] // required in TS: every list needs a platform
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// ISO 8601 or unix seconds: threads updated before it are not fetched again. Pass the
    /// previous run's `nextSince`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | number"))]
    pub since: Option<String>,
    /// Messages per thread with full details (default and max 20: Meta keeps no more).
    pub details_per_conversation: Option<u32>,
    /// Threads whose older message ids are paged in parallel (default 2), all within the pace.
    pub concurrency: Option<u32>,
    /// Resume after the conversation that carried this checkpoint.
    pub checkpoint: Option<String>,
    /// The most threads per list request (default 100). A sync starts at Graph's default of 25
    /// and adapts to what Graph serves (`core::sizing`).
    pub page_size: Option<u32>,
    /// Bounds one run: once this many requests were sent and at least one conversation came
    /// out, the run ends (`done` stays false) instead of sending another; resume with the last
    /// item's `checkpoint`. For work that must fit a budget, such as one Workers invocation.
    pub max_requests: Option<u32>,
}

/// One synced thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SyncedConversation {
    /// With participants and `updated_time`.
    pub conversation: Conversation,
    /// Newest first: full details for the newest `detailsPerConversation`, `id` and
    /// `created_time` for older ones.
    pub messages: Vec<Message>,
    /// When Graph was read for this conversation, unix ms (this machine's clock): its details
    /// (texts, reactions) are the state at that time, which the merged `Inbox` weighs against
    /// webhook events.
    #[serde(rename = "readAt", default)]
    pub read_at: i64,
    /// Opaque; pass as `checkpoint` to resume after this conversation. Under 16 KB (the done
    /// threads of one list page and a cursor), so any store or queue message holds it.
    pub checkpoint: String,
}

/// Where a sync stands.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SyncProgress {
    /// Conversations yielded so far.
    pub conversations: u64,
    /// Messages yielded so far.
    pub messages: u64,
    /// HTTP requests made by this sync, retries included.
    pub requests: u64,
    /// Responses that said the rate limit was hit.
    pub throttled: u64,
    /// Time spent waiting for the pace or for a throttle to lift.
    pub rate_limit_wait_ms: u64,
    /// Time since the sync started.
    pub elapsed_ms: u64,
    /// Threads per list request right now (it adapts to what Graph serves).
    pub page_size: u32,
    /// Nested messages per thread in list requests right now.
    pub nested_limit: u32,
    /// Pass as `since` to the next run to fetch only what changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_since: Option<String>,
    /// The sync has finished.
    pub done: bool,
}

/// A running sync: call `next_value` / `next` until `None`.
#[derive(Debug)]
pub struct InboxSync<T> {
    client: Client<T>,
    planner: SyncPlanner,
    /// Threads of the current list page not yet yielded, in list order.
    pending: VecDeque<PendingThread>,
    started_ms: f64,
    baseline: ClientStats,
    conversations: u64,
    messages: u64,
    max_requests: Option<u64>,
    /// When the current list page (and its nested details) arrived, unix ms.
    page_read_ms: f64,
}

impl<T: Transport + Clone> Client<T> {
    /// Imports a Page's or Instagram account's inbox: see [`SyncOptions`] and `core::sync`.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let mut sync = client.sync_inbox("me", &graph_conversations::SyncOptions {
    ///     platform: Some(graph_conversations::Platform::Instagram),
    ///     ..Default::default()
    /// })?;
    /// while let Some(item) = sync.next().await? {
    ///     println!("{} (resume with {})", item.conversation.id, item.checkpoint);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn sync_inbox(
        &self,
        page_id: &str,
        options: &SyncOptions,
    ) -> Result<InboxSync<T>, GraphApiError> {
        let since = match &options.since {
            None => None,
            Some(s) => Some(parse_graph_time(s).ok_or_else(|| {
                GraphApiError::invalid_argument("since must be ISO 8601 or unix seconds")
            })?),
        };
        let planner = SyncPlanner::new(
            page_id,
            &SyncSettings {
                platform: options.platform,
                since,
                details_per_conversation: options.details_per_conversation,
                concurrency: options.concurrency,
                checkpoint: options.checkpoint.clone(),
                page_size: options.page_size,
            },
        )?;
        Ok(InboxSync {
            started_ms: self.transport().now_ms(),
            baseline: self.stats(),
            client: self.clone(),
            planner,
            pending: VecDeque::new(),
            conversations: 0,
            messages: 0,
            max_requests: options.max_requests.map(u64::from),
            page_read_ms: 0.0,
        })
    }
}

/// Runs a few futures at once and returns their outputs in order. (`futures::join_all` carries
/// a large-collection path the wasm build does not need.)
async fn join<F: Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut all: Vec<Pin<Box<MaybeDone<F>>>> = futures.map(|f| Box::pin(maybe_done(f))).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for f in all.iter_mut() {
            pending |= f.as_mut().poll(cx).is_pending();
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    all.iter_mut()
        .filter_map(|f| f.as_mut().take_output())
        .collect()
}

/// Backoff for a sync-level retry (the client has already retried what it could): the client's
/// backoff curve, restarted for every request the sync repeats.
fn backoff_ms(attempt: u32, random: f64) -> f64 {
    RetryPolicy::default().backoff_ms(attempt, random)
}

async fn fill_older<T: Transport>(
    client: Client<T>,
    mut thread: PendingThread,
) -> Result<PendingThread, GraphApiError> {
    let mut attempt = 0;
    while let Some(spec) = thread.older_request() {
        match client.fetch(&spec, Expect::Page(&MESSAGE)).await {
            Ok(page) => {
                attempt = 0;
                thread.accept_older(page);
            }
            Err(e) if e.kind.is_sync_recoverable() && attempt < 8 => {
                let wait = backoff_ms(attempt, client.transport().random());
                client.transport().sleep(wait).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(thread)
}

impl<T: Transport + Clone> InboxSync<T> {
    /// The next synced conversation as JSON (`{conversation, messages, checkpoint}`). A thread
    /// is yielded as soon as it and every thread before it on its list page are complete, so
    /// items (and checkpoints) flow while long threads are still being paged.
    pub(crate) async fn next_value(&mut self) -> Result<Option<Value>, GraphApiError> {
        loop {
            if self
                .pending
                .front()
                .is_some_and(|t| t.older_request().is_none())
            {
                if let Some(thread) = self.pending.pop_front() {
                    let (mut synced, _) = self.planner.complete(thread);
                    synced["readAt"] = Value::from(self.page_read_ms as i64);
                    if self.pending.is_empty() {
                        self.planner.finish_page();
                    }
                    self.conversations += 1;
                    self.messages += synced["messages"].as_array().map_or(0, |m| m.len() as u64);
                    return Ok(Some(synced));
                }
            }
            if self.budget_spent() {
                return Ok(None);
            }
            if !self.pending.is_empty() {
                // Page older message ids for the next `concurrency` threads, front first.
                let n = self.planner.concurrency().min(self.pending.len());
                let batch: Vec<PendingThread> = self.pending.drain(..n).collect();
                let filled = join(
                    batch
                        .into_iter()
                        .map(|t| fill_older(self.client.clone(), t)),
                );
                for thread in filled.await.into_iter().rev() {
                    self.pending.push_front(thread?);
                }
                continue;
            }
            let Some((page, latency_ms)) = self.next_list_page().await? else {
                return Ok(None);
            };
            self.page_read_ms = self.client.transport().unix_ms();
            let pending = self.planner.accept_list_page(page, latency_ms);
            self.pending = pending.into();
            if self.pending.is_empty() {
                self.planner.finish_page();
            }
        }
    }

    /// Whether `max_requests` ends this run before its next request. Never before the first
    /// conversation, so every run makes progress.
    fn budget_spent(&self) -> bool {
        let sent = || self.client.stats().requests - self.baseline.requests;
        self.conversations > 0 && self.max_requests.is_some_and(|max| sent() >= max)
    }

    /// Reads the next list page, recovering as the planner says; with how long Graph took to
    /// answer it.
    async fn next_list_page(&mut self) -> Result<Option<(Value, f64)>, GraphApiError> {
        let mut attempt = 0;
        loop {
            let Some(spec) = self.planner.list_request() else {
                return Ok(None);
            };
            // Only throttling is waited out by the client: every other failure goes to the
            // planner at once, which may take it as a sign the request is too heavy.
            let expect = Some(Expect::Page(&CONVERSATION));
            let deadline = self.planner.list_deadline_ms();
            let sent = self
                .client
                .send_with(
                    &spec,
                    expect,
                    Decode::Parse,
                    Retries::ThrottlingOnly,
                    deadline,
                )
                .await;
            match sent {
                Ok(page) => {
                    let now = self.client.transport().now_ms();
                    let latency_ms = now - self.client.last_departure_ms();
                    return Ok(Some((page.into_value(), latency_ms)));
                }
                Err(e) => {
                    let backoff = backoff_ms(attempt, self.client.transport().random());
                    let wait = self.planner.recover(e, backoff)?;
                    if wait > 0.0 {
                        self.client.transport().sleep(wait).await;
                    }
                    attempt += 1;
                }
            }
        }
    }

    /// The next synced conversation, typed.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let mut sync = client.sync_inbox("me", &graph_conversations::SyncOptions {
    ///     platform: Some(graph_conversations::Platform::Instagram),
    ///     ..Default::default()
    /// })?;
    /// while let Some(item) = sync.next().await? {
    ///     println!("{}: {} messages", item.conversation.id, item.messages.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Result<Option<SyncedConversation>, GraphApiError> {
        self.next_value()
            .await?
            .map(|v| {
                serde_json::from_value(v).map_err(|e| {
                    GraphApiError::invalid_response(200, format!("cannot decode: {e}"))
                })
            })
            .transpose()
    }

    /// Where the sync stands now.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let mut sync = client.sync_inbox("me", &graph_conversations::SyncOptions {
    ///     platform: Some(graph_conversations::Platform::Instagram),
    ///     ..Default::default()
    /// })?;
    /// sync.next().await?;
    /// let p = sync.progress();
    /// println!("{} requests, page size {}, nested {}", p.requests, p.page_size, p.nested_limit);
    /// # Ok(()) }
    /// ```
    pub fn progress(&self) -> SyncProgress {
        let stats = self.client.stats();
        SyncProgress {
            conversations: self.conversations,
            messages: self.messages,
            requests: stats.requests - self.baseline.requests,
            throttled: stats.throttled - self.baseline.throttled,
            rate_limit_wait_ms: (stats.rate_limit_wait_ms - self.baseline.rate_limit_wait_ms)
                as u64,
            elapsed_ms: (self.client.transport().now_ms() - self.started_ms) as u64,
            page_size: self.planner.page_size(),
            nested_limit: self.planner.nested_limit(),
            next_since: self.planner.next_since(),
            done: self.planner.is_finished() && self.pending.is_empty(),
        }
    }
}
