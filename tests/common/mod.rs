//! Host test support: a `Transport` over reqwest with virtual time (sleeps return at once and
//! advance the clock), and an in-process graph-sim.
#![allow(dead_code)]

mod sync;
#[allow(unused_imports)] // not every suite syncs
pub use sync::*;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use graph_conversations::{
    Client, ClientOptions, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};

pub const PAGE_ID: &str = "106000000000001";
pub const PAGE_TOKEN: &str = "sim-page-token";
pub const IG_ID: &str = "17841400000000001";
pub const IG_TOKEN: &str = "sim-ig-token";

/// The crate's `ReqwestTransport` for HTTP, with virtual time: sleeps return at once and
/// advance the clock, so retry backoffs and pacing cost no wall time.
#[derive(Clone)]
pub struct TestTransport {
    http: ReqwestTransport,
    clock_ms: Rc<Cell<f64>>,
    rng: Rc<Cell<u64>>,
    pub slept_ms: Rc<Cell<f64>>,
    /// Every URL sent, in order.
    pub sent: Rc<RefCell<Vec<String>>>,
    /// The timeout each request that timed out was sent with, in order.
    pub timed_out: Rc<RefCell<Vec<f64>>>,
}

impl TestTransport {
    pub fn new(seed: u64) -> Self {
        TestTransport {
            http: ReqwestTransport::default(),
            clock_ms: Rc::new(Cell::new(1_000_000.0)),
            rng: Rc::new(Cell::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)),
            slept_ms: Rc::new(Cell::new(0.0)),
            sent: Rc::default(),
            timed_out: Rc::default(),
        }
    }
}

impl Transport for TestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(request.url.clone());
        let timeout_ms = request.timeout_ms.unwrap_or(0.0);
        let result = self.http.send(request).await;
        if result == Err(TransportError::Timeout) {
            // The virtual clock sees the whole wait a real client would have had.
            self.clock_ms.set(self.clock_ms.get() + timeout_ms);
            self.timed_out.borrow_mut().push(timeout_ms);
        }
        result
    }

    async fn sleep(&self, ms: f64) {
        self.clock_ms.set(self.clock_ms.get() + ms);
        self.slept_ms.set(self.slept_ms.get() + ms);
    }

    fn now_ms(&self) -> f64 {
        self.clock_ms.get()
    }

    fn random(&self) -> f64 {
        // xorshift64*: deterministic jitter per test seed.
        let mut x = self.rng.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.set(x);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn client(base_url: &str, token: &str, seed: u64) -> Client<TestTransport> {
    client_with(base_url, token, seed, |_| {})
}

/// [`client`] with changes to its options.
pub fn client_with(
    base_url: &str,
    token: &str,
    seed: u64,
    change: impl FnOnce(&mut ClientOptions),
) -> Client<TestTransport> {
    let mut options = ClientOptions {
        access_token: token.into(),
        base_url: Some(base_url.to_owned()),
        requests_per_second: Some(0.0),
        max_retries: Some(6),
        ..Default::default()
    };
    change(&mut options);
    Client::new(options, TestTransport::new(seed)).expect("valid options")
}

/// A simulator with rate limits off and the given changes.
pub async fn sim(change: impl FnOnce(&mut graph_sim::Config)) -> graph_sim::SimHandle {
    let mut config = graph_sim::Config::default();
    config.settings.rate = 0.0;
    change(&mut config);
    graph_sim::spawn(config).await.expect("graph-sim starts")
}

/// Sends a control request to the simulator.
pub async fn control(base_url: &str, path: &str, body: &str) -> serde_json::Value {
    let http = reqwest::Client::new();
    let url = format!("{base_url}/__sim/{path}");
    let request = if body.is_empty() {
        http.get(url)
    } else {
        http.post(url)
            .header("content-type", "application/json")
            .body(body.to_owned())
    };
    let text = request.send().await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

pub async fn listed_threads(base_url: &str, account: &str, platform: &str) -> usize {
    let accounts = control(base_url, "accounts", "").await;
    let account = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == account)
        .unwrap();
    account["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["platform"] == platform)
        .unwrap()["listed_threads"]
        .as_u64()
        .unwrap() as usize
}
