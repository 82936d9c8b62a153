//! `sync_inbox`: carries out the sync planner's actions (`core::sync`) over the client: list
//! pages with nested messages, older message ids with bounded concurrency, recovery from faults.

use std::collections::VecDeque;

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{Client, ClientStats, Expect};
use crate::core::error::{ErrorKind, GraphApiError};
use crate::core::models::{Conversation, Message};
use crate::core::request::Platform;
use crate::core::schema::{CONVERSATION, MESSAGE};
use crate::core::sync::{PendingThread, Recovery, SyncPlanner, SyncSettings};
use crate::core::time::parse_graph_time;
use crate::transport::Transport;

/// Options of `syncInbox(pageId, options)` / `Client::sync_inbox`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SyncOptions {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Platform"))]
    pub platform: Option<Platform>,
    /// ISO 8601 or unix seconds: threads updated before it are not fetched again. Pass the
    /// previous run's `nextSince`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | number"))]
    pub since: Option<String>,
    /// Messages per thread with full details (default and max 20: Meta keeps no more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details_per_conversation: Option<u32>,
    /// Threads whose older message ids are paged in parallel (default 2), all within the pace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Resume after the conversation that carried this checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
    /// Threads per list request (default 100; halved automatically when Graph asks for less).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
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
    /// Opaque; pass as `checkpoint` to resume after this conversation.
    pub checkpoint: String,
}

/// Where a sync stands.
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
    pub rate_limit_wait_ms: f64,
    pub elapsed_ms: f64,
    /// Threads per list request right now.
    pub page_size: u32,
    /// Pass as `since` to the next run to fetch only what changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_since: Option<String>,
    pub done: bool,
}

/// A running sync: call `next_value` / `next` until `None`.
pub struct InboxSync<T> {
    client: Client<T>,
    planner: SyncPlanner,
    ready: VecDeque<Value>,
    started_ms: f64,
    baseline: ClientStats,
    conversations: u64,
    messages: u64,
}

impl<T: Transport + Clone> Client<T> {
    /// Imports a Page's or Instagram account's inbox: see [`SyncOptions`] and `core::sync`.
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
            ready: VecDeque::new(),
            conversations: 0,
            messages: 0,
        })
    }
}

/// Backoff for a sync-level retry (the client has already retried what it could).
fn backoff_ms(attempt: u32, random: f64) -> f64 {
    let base = (500.0 * 2f64.powi(attempt.min(6) as i32)).min(30_000.0);
    base / 2.0 + base / 2.0 * random
}

/// A failure worth another try at sync level: the client gives up on these quickly, a sync
/// should not (a malformed body or a long throttle is not the end of an import).
fn retryable(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Transient
            | ErrorKind::RateLimited
            | ErrorKind::Network
            | ErrorKind::Timeout
            | ErrorKind::InvalidResponse
    )
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
                thread.accept_older(&page);
            }
            Err(e) if retryable(e.kind) && attempt < 8 => {
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
    /// The next synced conversation as JSON (`{conversation, messages, checkpoint}`).
    pub async fn next_value(&mut self) -> Result<Option<Value>, GraphApiError> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                self.conversations += 1;
                self.messages += item["messages"].as_array().map_or(0, |m| m.len() as u64);
                return Ok(Some(item));
            }
            let Some(page) = self.next_list_page().await? else {
                return Ok(None);
            };
            let threads = self.planner.accept_list_page(&page);
            let client = self.client.clone();
            let filled: Vec<Result<PendingThread, GraphApiError>> = stream::iter(threads)
                .map(|t| fill_older(client.clone(), t))
                .buffered(self.planner.concurrency())
                .collect()
                .await;
            for thread in filled {
                let (synced, _) = self.planner.complete(thread?);
                self.ready.push_back(synced);
            }
            self.planner.finish_page();
        }
    }

    /// Reads the next list page, recovering as the planner says.
    async fn next_list_page(&mut self) -> Result<Option<Value>, GraphApiError> {
        let mut attempt = 0;
        loop {
            let Some(spec) = self.planner.list_request() else {
                return Ok(None);
            };
            match self.client.fetch(&spec, Expect::Page(&CONVERSATION)).await {
                Ok(page) => return Ok(Some(page)),
                Err(e) => {
                    let wait = backoff_ms(attempt, self.client.transport().random());
                    match self.planner.recover(&e, wait) {
                        Recovery::Fail => return Err(e),
                        Recovery::RetryAfter(ms) => {
                            if ms > 0.0 {
                                self.client.transport().sleep(ms).await;
                            }
                            attempt += 1;
                        }
                    }
                }
            }
        }
    }

    /// The next synced conversation, typed.
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

    pub fn progress(&self) -> SyncProgress {
        let stats = self.client.stats();
        SyncProgress {
            conversations: self.conversations,
            messages: self.messages,
            requests: stats.requests - self.baseline.requests,
            throttled: stats.throttled - self.baseline.throttled,
            rate_limit_wait_ms: stats.rate_limit_wait_ms - self.baseline.rate_limit_wait_ms,
            elapsed_ms: self.client.transport().now_ms() - self.started_ms,
            page_size: self.planner.page_size(),
            next_since: self.planner.next_since(),
            done: self.planner.is_finished() && self.ready.is_empty(),
        }
    }
}
