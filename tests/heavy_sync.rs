#![cfg(not(target_arch = "wasm32"))]
//! `sync_inbox` against a Graph with a hidden size limit, failing over-heavy requests in every
//! way graph-sim can (the documented "reduce the amount of data", opaque code 1, code 2, HTML
//! 502/503, a timeout, a dropped connection), with thresholds from "only the smallest request
//! passes" to "no limit", on both platforms: every sync ends with exactly the simulator's
//! inbox, and no request is sent more often than the retry budget allows.

mod common;

use std::collections::BTreeMap;

use common::*;
use graph_conversations::{Client, Platform, SyncOptions, SyncedConversation};
use graph_sim::{HeavyFailure, RefuseNested};

/// Message fields a sync asks for in its nested expansion (the package's default detail fields).
const DETAIL_FIELDS: u64 = 12;
/// The lightest list request a sync can make: 1 thread, 20 nested detailed messages.
const SMALLEST: u64 = 20 * DETAIL_FIELDS;
/// The client's timeout in these tests: an answer that never comes costs this much real time.
const TIMEOUT_MS: f64 = 200.0;

fn timing_client(base: &str, token: &str, seed: u64) -> Client<TestTransport> {
    client_with(base, token, seed, |o| o.timeout_ms = Some(TIMEOUT_MS))
}

/// Runs a sync to its end; returns what it yielded and every URL it sent.
async fn sync_all(
    base: &str,
    token: &str,
    page: &str,
    o: &SyncOptions,
    seed: u64,
) -> (Vec<SyncedConversation>, Vec<String>) {
    let client = timing_client(base, token, seed);
    let (items, _) = drain(&client, page, o).await;
    let sent = client.transport().sent.borrow().clone();
    (items, sent)
}

/// Every message has details among the newest 20 of its thread, and only id and time beyond.
fn assert_details(items: &[SyncedConversation], cell: &str) {
    for item in items {
        for (i, m) in item.messages.iter().enumerate() {
            assert_eq!(
                m.from.is_some(),
                i < 20,
                "{cell}: message {i} of {}",
                item.conversation.id
            );
        }
    }
}

/// No list request is sent more than twice (a blip retried once), but the smallest, which is
/// tried four times before the sync gives up.
fn assert_retry_budget(sent: &[String], cell: &str) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for url in sent.iter().filter(|u| u.contains("/conversations?")) {
        *counts.entry(url.as_str()).or_default() += 1;
    }
    for (url, n) in counts {
        let smallest = url.contains("limit=1&") || url.ends_with("limit=1");
        let budget = if smallest { 4 } else { 2 };
        assert!(n <= budget, "{cell}: sent {n} times: {url}");
    }
}

struct Account {
    platform: Platform,
    token: &'static str,
    page: &'static str,
}

const ACCOUNTS: [Account; 2] = [
    Account {
        platform: Platform::Messenger,
        token: PAGE_TOKEN,
        page: PAGE_ID,
    },
    Account {
        platform: Platform::Instagram,
        token: IG_TOKEN,
        page: "me",
    },
];

/// Syncs the account and checks the result against the slow walk, its details and the retry
/// budget; returns the URLs sent.
async fn assert_exact_sync(base: &str, account: &Account, seed: u64, cell: &str) -> Vec<String> {
    let truth = walk(base, account.token, account.page, account.platform).await;
    let o = options(account.platform);
    let (items, sent) = sync_all(base, account.token, account.page, &o, seed).await;
    assert_eq!(inventory(&items), truth, "{cell}");
    assert_details(&items, cell);
    assert_retry_budget(&sent, cell);
    sent
}

async fn heavy_sim(threshold: u64, style: HeavyFailure) -> graph_sim::SimHandle {
    sim(|c| {
        c.seed = 17;
        c.messenger_threads = 45;
        c.instagram_threads = 45;
        c.messages = 1..=60;
        c.settings.reduce_data_threshold = threshold;
        c.settings.heavy_failure = style;
        c.settings.heavy_timeout_ms = 10_000;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failure_style_and_threshold_ends_with_the_exact_inbox() {
    let thresholds = [SMALLEST, 2_000, 15_000, 0];
    for style in HeavyFailure::ALL.iter().copied() {
        for threshold in thresholds {
            let sim = heavy_sim(threshold, style).await;
            let base = sim.base_url();
            for account in &ACCOUNTS {
                let cell = format!(
                    "{} / threshold {threshold} / {:?}",
                    style.name(),
                    account.platform
                );
                assert_exact_sync(&base, account, 1, &cell).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_never_comes_costs_a_probe_its_deadline_not_the_whole_timeout() {
    // The first request (25 threads × 50 nested) fits; the sync's larger probes never get an
    // answer. The client's timeout is long, so waiting it out would cost seconds per probe.
    let client_timeout = 3_000.0;
    let sim = heavy_sim(25 * 50 * DETAIL_FIELDS, HeavyFailure::Timeout).await;
    let base = sim.base_url();
    let account = &ACCOUNTS[1];
    let truth = walk(&base, account.token, account.page, account.platform).await;
    let client = client_with(&base, account.token, 3, |o| {
        o.timeout_ms = Some(client_timeout)
    });
    let (items, _) = drain(&client, account.page, &options(account.platform)).await;
    assert_eq!(inventory(&items), truth);
    let timed_out = client.transport().timed_out.borrow().clone();
    assert!(!timed_out.is_empty(), "the probes were too heavy");
    assert!(
        timed_out.iter().all(|&t| t < client_timeout),
        "a probe waited the whole timeout: {timed_out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_details_refused_fall_back_to_the_messages_edge() {
    for refusal in [RefuseNested::Deleted, RefuseNested::InvalidParam] {
        let sim = sim(|c| {
            c.seed = 5;
            c.messenger_threads = 30;
            c.instagram_threads = 30;
            c.messages = 1..=70;
            c.settings.refuse_nested_details = refusal;
        })
        .await;
        let base = sim.base_url();
        for account in &ACCOUNTS {
            let cell = format!("{} / {:?}", refusal.name(), account.platform);
            let sent = assert_exact_sync(&base, account, 2, &cell).await;
            assert!(
                sent.iter().any(|u| u.contains("/messages?")),
                "{cell}: older ids came through the /messages edge"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_on_top_of_a_hidden_limit_change_nothing() {
    for seed in 1..=6u64 {
        let inbox = |c: &mut graph_sim::Config| {
            c.seed = seed;
            c.messenger_threads = 40;
            c.messages = 1..=45;
        };
        // The truth from the same inbox without faults or a limit (the slow walk is no sync).
        let twin = sim(inbox).await;
        let truth = walk(&twin.base_url(), PAGE_TOKEN, PAGE_ID, Platform::Messenger).await;
        let sim = sim(|c| {
            inbox(c);
            c.settings.reduce_data_threshold = 6_000;
            c.settings.heavy_failure = HeavyFailure::ALL[seed as usize % HeavyFailure::ALL.len()];
            c.settings.heavy_timeout_ms = 10_000;
            c.settings.faults.transient = 0.06;
            c.settings.faults.malformed = 0.03;
        })
        .await;
        let base = sim.base_url();
        let (items, _) = sync_all(
            &base,
            PAGE_TOKEN,
            PAGE_ID,
            &options(Platform::Messenger),
            seed,
        )
        .await;
        assert_eq!(inventory(&items), truth, "seed {seed}");
        assert_details(&items, &format!("seed {seed}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_resume_under_a_hidden_limit_yields_the_exact_inbox() {
    let sim = heavy_sim(3_000, HeavyFailure::Unknown).await;
    let base = sim.base_url();
    let o = options(Platform::Messenger);
    let truth = walk(&base, PAGE_TOKEN, PAGE_ID, Platform::Messenger).await;
    let last = truth.len();
    for cut in [1, 7, 23, last - 1, last] {
        let client = timing_client(&base, PAGE_TOKEN, cut as u64);
        let (mut first, resume) = interrupted_after(&client, PAGE_ID, &o, cut).await;
        let (rest, _) = sync_all(&base, PAGE_TOKEN, PAGE_ID, &resume, cut as u64).await;
        first.extend(rest);
        assert_eq!(inventory(&first), truth, "cut {cut}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_that_serves_nothing_ends_the_sync_with_a_typed_error() {
    let sim = heavy_sim(1, HeavyFailure::Unknown).await;
    let client = timing_client(&sim.base_url(), PAGE_TOKEN, 3);
    let mut sync = client
        .sync_inbox(PAGE_ID, &options(Platform::Messenger))
        .unwrap();
    let err = sync.next().await.expect_err("nothing fits");
    assert!(
        err.message.contains("smallest list request"),
        "{}",
        err.message
    );
    assert!(err.kind.is_retryable(), "{:?}", err.kind);
    let sent = client.transport().sent.borrow().len();
    assert!(sent <= 16, "{sent} requests before giving up");
}
