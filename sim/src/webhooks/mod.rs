//! Meta's messaging webhooks: every change to an inbox becomes a webhook event, and a
//! background task delivers the events to the subscribed URL the way Meta does (batched,
//! signed, retried with backoff, sometimes twice or out of order, disabled after failing for
//! too long).

pub mod changes;
mod deliver;
mod http;
pub mod routes;
mod traffic;
mod truth;
mod wire;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::data::Dataset;
use crate::ids::{hash, unit, Inbox, ThreadRef};
use crate::json::Obj;
use crate::state::Sim;

pub use deliver::handshake;

/// The app that sends the business's messages, as echoes name it in `app_id`.
pub const APP_ID: i64 = 1_060_000_000_000_001;
/// Signs webhooks when neither `--webhook-secret` nor `--app-secret` is given.
pub const DEFAULT_SECRET: &str = "sim-app-secret";
/// Delivery attempts kept in `GET /__sim/webhooks/log`.
const LOG_CAP: usize = 10_000;
/// Meta's batch limit ("a maximum of 1000 updates").
const MAX_BATCH: usize = 1_000;

/// One item of `entry[].messaging[]`, with what delivery needs to know about it.
#[derive(Debug, Clone)]
pub struct Event {
    /// Order of creation, for the log and for tests.
    pub seq: u64,
    pub thread: ThreadRef,
    pub mid: Option<String>,
    pub item: Obj,
}

impl Event {
    pub fn new(thread: ThreadRef, mid: Option<String>, item: Obj) -> Self {
        Self {
            seq: 0,
            thread,
            mid,
            item,
        }
    }

    fn object(&self) -> &'static str {
        match self.thread.inbox {
            Inbox::Messenger => "page",
            Inbox::Instagram => "instagram",
        }
    }

    /// The Page for Messenger; for Instagram the professional account, whether its inbox is
    /// read through the Page or through Instagram Login (the simulator's two views of it).
    fn entry_id(&self) -> String {
        Dataset::business(self.thread.mailbox()).id
    }
}

#[derive(Debug, Clone)]
struct Pending {
    event: Arc<Event>,
    /// Delivery attempts so far.
    attempts: u32,
    due: Instant,
    /// A deliberate second copy, never duplicated again.
    copy: bool,
    /// Already held back once to be overtaken; not held again.
    held: bool,
}

/// One webhook POST as the simulator sent it.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Unix ms (the simulator's clock) when the POST was sent.
    pub time_ms: i64,
    /// The HTTP status, or None when there was no answer.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub object: &'static str,
    pub events: usize,
    /// 1 for a first attempt; the highest attempt number of the POST's events.
    pub attempt: u32,
    /// The same bytes sent once more after a success.
    pub duplicate: bool,
    pub body_len: usize,
    pub mids: Vec<String>,
    /// The exact bytes, for in-process tests; the JSON log gives only their length.
    #[serde(skip)]
    pub body: Bytes,
    #[serde(skip)]
    pub signature: String,
}

#[derive(Debug, Default)]
struct Counters {
    emitted: u64,
    delivered: u64,
    posts: u64,
    failed_attempts: u64,
    dropped: u64,
}

#[derive(Debug)]
struct Inner {
    url: Option<String>,
    verify_token: String,
    enabled: bool,
    disabled_reason: Option<String>,
    queue: Vec<Pending>,
    log: VecDeque<Delivery>,
    counters: Counters,
    failing_since: Option<Instant>,
    /// Draws for duplicate and reorder decisions: deterministic per seed and event order.
    draws: u64,
    /// Bumped by reset and unsubscribe, so that a POST in flight does not requeue its events.
    generation: u64,
    next_seq: u64,
    traffic: traffic::State,
}

pub struct Webhooks {
    seed: u64,
    pub secret: String,
    inner: Mutex<Inner>,
    /// Wakes the delivery task when events arrive.
    wake: Notify,
}

impl Webhooks {
    pub fn new(seed: u64, url: Option<String>, secret: String, verify_token: String) -> Self {
        Self {
            seed,
            secret,
            inner: Mutex::new(Inner {
                enabled: url.is_some(),
                url,
                verify_token,
                disabled_reason: None,
                queue: Vec::new(),
                log: VecDeque::new(),
                counters: Counters::default(),
                failing_since: None,
                draws: 0,
                generation: 0,
                next_seq: 0,
                traffic: traffic::State::new(seed),
            }),
            wake: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an event when a subscription is active; Meta keeps no history, so without one
    /// the event is gone. Returns whether it was queued.
    pub fn emit(&self, mut event: Event) -> bool {
        let mut s = self.lock();
        event.seq = s.next_seq;
        s.next_seq += 1;
        if !s.enabled {
            return false;
        }
        s.counters.emitted += 1;
        s.queue.push(Pending {
            event: Arc::new(event),
            attempts: 0,
            due: Instant::now(),
            copy: false,
            held: false,
        });
        drop(s);
        self.wake.notify_one();
        true
    }

    /// Turns delivery on for `url` (after a successful handshake).
    pub fn subscribe(&self, url: String, verify_token: String) {
        let mut s = self.lock();
        s.url = Some(url);
        s.verify_token = verify_token;
        s.enabled = true;
        s.disabled_reason = None;
        s.failing_since = None;
    }

    pub fn unsubscribe(&self, reason: &str) {
        let mut s = self.lock();
        s.enabled = false;
        s.disabled_reason = Some(reason.to_owned());
        s.generation += 1;
        s.counters.dropped += s.queue.len() as u64;
        s.queue.clear();
    }

    pub fn verify_token(&self) -> String {
        self.lock().verify_token.clone()
    }

    /// Drops pending deliveries, the log and the counters, and restarts the traffic sequence;
    /// the subscription stays.
    pub fn reset(&self) {
        let mut s = self.lock();
        s.queue.clear();
        s.log.clear();
        s.counters = Counters::default();
        s.failing_since = None;
        s.draws = 0;
        s.generation += 1;
        s.next_seq = 0;
        // Running traffic starts its sequence again, so a reset replays it.
        s.traffic.step = 0;
    }

    pub fn status(&self) -> Value {
        let s = self.lock();
        let c = &s.counters;
        let mut v = json!({
            "url": s.url,
            "enabled": s.enabled,
            "verify_token": s.verify_token,
            "pending": s.queue.len(),
            "emitted": c.emitted,
            "delivered": c.delivered,
            "posts": c.posts,
            "failed_attempts": c.failed_attempts,
            "dropped": c.dropped,
            "failing_for_ms": s.failing_since.map(|t| t.elapsed().as_millis() as u64),
            "traffic": {
                "seed": s.traffic.seed,
                "steps": s.traffic.step,
                "limit": s.traffic.limit,
                "accounts": s.traffic.accounts,
            },
        });
        if let Some(reason) = &s.disabled_reason {
            v["disabled_reason"] = reason.clone().into();
        }
        v
    }

    pub fn log(&self) -> Vec<Delivery> {
        self.lock().log.iter().cloned().collect()
    }

    pub fn clear_log(&self) -> usize {
        let mut s = self.lock();
        let n = s.log.len();
        s.log.clear();
        n
    }

    /// A deterministic draw in [0, 1).
    fn draw(&self, s: &mut Inner) -> f64 {
        s.draws += 1;
        unit(hash(&[self.seed, 0x0077_6562_686f_6f6b, s.draws]))
    }
}

/// The delivery and live-traffic tasks; dropping this stops both.
pub struct Tasks(Vec<JoinHandle<()>>);

impl Drop for Tasks {
    fn drop(&mut self) {
        for t in &self.0 {
            t.abort();
        }
    }
}

pub fn start(sim: Arc<Sim>) -> Tasks {
    Tasks(vec![
        tokio::spawn(deliver::run(sim.clone())),
        tokio::spawn(traffic::run(sim)),
    ])
}
