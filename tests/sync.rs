#![cfg(not(target_arch = "wasm32"))]
//! `sync_inbox` against graph-sim: complete, exact under faults, resumable, incremental, and
//! within the request budget. Time is virtual (see `common`), so backoffs cost nothing.

mod common;

use std::collections::BTreeSet;

use common::*;
use graph_conversations::{ErrorKind, Platform, SyncOptions};

/// List requests a clean sync of `threads` makes: Graph's default page of 25 first, doubled
/// after each success up to 100.
fn list_requests(threads: usize) -> u64 {
    let (mut page, mut read, mut requests) = (25, 0, 0);
    while read < threads {
        read += page;
        requests += 1;
        page = (page * 2).min(100);
    }
    requests
}

#[tokio::test(flavor = "current_thread")]
async fn a_clean_sync_is_complete_and_exact() {
    let sim = sim(|c| {
        c.seed = 3;
        c.messenger_threads = 230;
        c.messages = 1..=130;
    })
    .await;
    let base = sim.base_url();
    let (items, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &options(Platform::Messenger), 1).await;
    let synced = inventory(&items);
    assert_eq!(
        synced.len(),
        listed_threads(&base, PAGE_ID, "messenger").await
    );
    assert_eq!(
        synced,
        walk(&base, PAGE_TOKEN, PAGE_ID, Platform::Messenger).await
    );
    for item in &items {
        let detailed = item.messages.iter().filter(|m| m.from.is_some()).count();
        assert_eq!(
            detailed,
            item.messages.len().min(20),
            "{}",
            item.conversation.id
        );
        let older = item.messages.iter().skip(20);
        assert!(older
            .clone()
            .all(|m| m.message.is_none() && m.from.is_none()));
        assert!(!item
            .conversation
            .participants
            .as_ref()
            .unwrap()
            .data
            .is_empty());
        assert!(!item.conversation.updated_time.is_empty());
    }
    assert!(progress.done);
    assert_eq!(progress.conversations as usize, items.len());
    assert_eq!(progress.throttled, 0);
    // The list pages (25, 50, then 100 threads), plus one /messages page for each thread with
    // more than 50 messages.
    let long_threads = items.iter().filter(|i| i.messages.len() > 50).count() as u64;
    assert_eq!(progress.requests, list_requests(items.len()) + long_threads);
}

#[tokio::test(flavor = "current_thread")]
async fn faults_over_twenty_seeds_change_nothing() {
    for seed in 1..=20u64 {
        let shape = |c: &mut graph_sim::Config| {
            c.seed = seed;
            c.instagram_threads = 120;
            c.messages = 1..=80;
        };
        let clean = sim(shape).await;
        let faulty = sim(|c| {
            shape(c);
            c.settings.reduce_data_threshold = 2_000;
            c.settings.faults.transient = 0.08;
            c.settings.faults.throttle = 0.05;
            c.settings.faults.throttle_burst = 2;
            c.settings.faults.malformed = 0.05;
            c.settings.faults.truncated = 0.05;
            c.settings.faults.drop = 0.03;
            c.settings.faults.slow = 0.05;
            c.settings.faults.slow_ms = 15;
        })
        .await;
        let o = options(Platform::Instagram);
        let (expected, _) = run(&clean.base_url(), IG_TOKEN, "me", &o, seed).await;
        let (got, progress) = run(&faulty.base_url(), IG_TOKEN, "me", &o, seed).await;
        assert_eq!(inventory(&got), inventory(&expected), "seed {seed}");
        let stats = control(&faulty.base_url(), "stats", "").await;
        let injected: u64 = stats["faults"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|v| v.as_u64())
            .sum();
        assert!(injected > 0, "seed {seed}: faults were injected");
        assert!(progress.requests > 2, "seed {seed}: retries happened");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn aborting_anywhere_and_resuming_yields_the_exact_set() {
    let sim = sim(|c| {
        c.seed = 11;
        c.messenger_threads = 260;
        c.messages = 1..=70;
        c.settings.faults.transient = 0.05;
        c.settings.faults.malformed = 0.03;
    })
    .await;
    let base = sim.base_url();
    let o = SyncOptions {
        page_size: Some(40),
        ..options(Platform::Messenger)
    };
    let (all, _) = run(&base, PAGE_TOKEN, PAGE_ID, &o, 5).await;
    let expected = inventory(&all);
    // Cut points across pages, first and last included.
    for cut in [1usize, 2, 39, 40, 41, 77, 120, all.len() - 1, all.len()] {
        let client = client(&base, PAGE_TOKEN, cut as u64);
        let (first, resume) = interrupted_after(&client, PAGE_ID, &o, cut).await;
        let (rest, _) = run(&base, PAGE_TOKEN, PAGE_ID, &resume, cut as u64).await;
        let a = inventory(&first);
        let b = inventory(&rest);
        assert!(
            a.keys().all(|k| !b.contains_key(k)),
            "cut {cut}: a thread in both runs"
        );
        let mut union = a;
        union.extend(b);
        assert_eq!(union, expected, "cut {cut}");
    }
}

/// Checkpoints stay small enough for any store or queue message: a page's done thread ids (at
/// most 99, at the largest page of 100) and a cursor, whatever the inbox's size
/// (`core::checkpoint` tests the 16 KB bound with Meta-length ids and cursors).
#[tokio::test(flavor = "current_thread")]
async fn a_checkpoint_holds_at_most_one_page_of_ids() {
    let sim = sim(|c| {
        c.seed = 13;
        c.instagram_threads = 240;
        c.messages = 1..=3;
    })
    .await;
    let (items, _) = run(
        &sim.base_url(),
        PAGE_TOKEN,
        PAGE_ID,
        &options(Platform::Instagram),
        1,
    )
    .await;
    let longest = items.iter().map(|i| i.checkpoint.len()).max().unwrap();
    let id = items.iter().map(|i| i.conversation.id.len()).max().unwrap();
    let cursor = 512; // generous for the simulator's cursors
    assert!(
        items.len() > 175,
        "the largest page (100) was reached: {} threads",
        items.len()
    );
    assert!(
        longest <= 99 * (id + 3) + cursor,
        "a checkpoint of {longest} bytes"
    );
    assert!(
        longest > 50 * id,
        "a nearly full page was seen: {longest} bytes"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn bounded_runs_chained_by_checkpoint_equal_one_run() {
    let sim = sim(|c| {
        c.seed = 12;
        c.messenger_threads = 130;
        c.messages = 1..=70;
    })
    .await;
    let base = sim.base_url();
    let o = options(Platform::Messenger);
    let (all, whole) = run(&base, PAGE_TOKEN, PAGE_ID, &o, 1).await;
    for max in [1u32, 3, 8] {
        let mut union = Vec::new();
        let mut checkpoint = None;
        let mut runs = 0;
        loop {
            let bounded = SyncOptions {
                max_requests: Some(max),
                checkpoint: checkpoint.clone(),
                ..o.clone()
            };
            let (items, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &bounded, runs).await;
            runs += 1;
            assert!(
                !items.is_empty() || progress.done,
                "max {max}: a run without progress"
            );
            // A run stops at its first request past the budget: it may exceed it only by the
            // batch in flight (older pages of up to `concurrency` = 2 threads, 25 ids a page at
            // worst) or what the first item needed.
            let longest = items.iter().map(|i| i.messages.len() as u64 / 25 + 2).max();
            assert!(
                progress.requests <= u64::from(max) + 2 * longest.unwrap_or(1),
                "max {max}: {} requests in one run",
                progress.requests
            );
            checkpoint = items.last().map(|i| i.checkpoint.clone()).or(checkpoint);
            union.extend(items);
            if progress.done {
                break;
            }
            assert!(runs < 500, "max {max}: the bounded runs never finish");
        }
        assert_eq!(inventory(&union), inventory(&all), "max {max}");
        assert!(runs > 1, "max {max}: the budget never ended a run");
        assert!(
            whole.requests < runs * u64::from(max) + runs * 2,
            "max {max}: bounded runs cost far more requests than one run"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_incremental_sync_returns_exactly_the_changed_threads() {
    let sim = sim(|c| {
        c.seed = 5;
        c.messenger_threads = 150;
    })
    .await;
    let base = sim.base_url();
    let (first, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &options(Platform::Messenger), 1).await;
    let since = progress
        .next_since
        .clone()
        .expect("a sync reports the next since");
    // Change three threads from across the list.
    let changed: BTreeSet<String> = [3, first.len() / 2, first.len() - 2]
        .iter()
        .map(|&i| first[i].conversation.id.clone())
        .collect();
    for id in &changed {
        let body = format!(r#"{{"conversation_id":"{id}","text":"new message"}}"#);
        control(&base, "messages", &body).await;
    }
    let o = SyncOptions {
        since: Some(since),
        ..options(Platform::Messenger)
    };
    let (second, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &o, 2).await;
    let got: BTreeSet<String> = second.iter().map(|i| i.conversation.id.clone()).collect();
    // `since` is inclusive (Graph times have one-second resolution: a thread updated in the same
    // second as the newest one seen must not be missed), so the previous run's newest thread,
    // whose updated_time equals `since`, comes back too.
    let mut expected = changed.clone();
    expected.insert(first[0].conversation.id.clone());
    assert_eq!(got, expected);
    assert_eq!(
        progress.requests, 1,
        "one list page covers the changed threads"
    );
    for item in second
        .iter()
        .filter(|i| changed.contains(&i.conversation.id))
    {
        assert_eq!(item.messages[0].message.as_deref(), Some("new message"));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_thread_updated_during_a_run_is_caught_by_the_next_run() {
    let sim = sim(|c| {
        c.seed = 8;
        c.messenger_threads = 120;
    })
    .await;
    let base = sim.base_url();
    let o = SyncOptions {
        page_size: Some(25),
        ..options(Platform::Messenger)
    };
    let client = client(&base, PAGE_TOKEN, 1);
    let mut sync = client.sync_inbox(PAGE_ID, &o).unwrap();
    let mut seen = Vec::new();
    while let Some(item) = sync.next().await.unwrap() {
        if seen.len() == 30 {
            // A thread the walk has passed gets a new message and moves to the top.
            let id = &seen[5];
            let body = format!(r#"{{"conversation_id":"{id}","text":"late"}}"#);
            control(&base, "messages", &body).await;
        }
        seen.push(item.conversation.id);
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "nothing twice in one run");
    let since = sync.progress().next_since.unwrap();
    let (next, _) = run(
        &base,
        PAGE_TOKEN,
        PAGE_ID,
        &SyncOptions {
            since: Some(since),
            ..o
        },
        2,
    )
    .await;
    // The late thread, then the previous newest (inclusive `since`, see above).
    let next: Vec<&str> = next.iter().map(|i| i.conversation.id.as_str()).collect();
    assert_eq!(next, vec![seen[5].as_str(), seen[0].as_str()]);
}

#[tokio::test(flavor = "current_thread")]
async fn requests_stay_within_one_per_page_for_small_threads() {
    let sim = sim(|c| {
        c.seed = 21;
        c.messenger_threads = 1_000;
        c.messages = 1..=20;
    })
    .await;
    let base = sim.base_url();
    let o = options(Platform::Messenger);
    let (items, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &o, 1).await;
    let n = listed_threads(&base, PAGE_ID, "messenger").await;
    assert_eq!(items.len(), n);
    assert_eq!(progress.requests, list_requests(n));
}

#[tokio::test(flavor = "current_thread")]
async fn reduce_data_shrinks_the_page_and_nothing_is_lost() {
    let sim = sim(|c| {
        c.seed = 4;
        c.messenger_threads = 90;
        c.settings.reduce_data_threshold = 600;
    })
    .await;
    let base = sim.base_url();
    let (items, progress) = run(&base, PAGE_TOKEN, PAGE_ID, &options(Platform::Messenger), 1).await;
    assert_eq!(
        inventory(&items),
        walk(&base, PAGE_TOKEN, PAGE_ID, Platform::Messenger).await
    );
    assert!(
        progress.page_size <= 12,
        "page shrank to fit (now {})",
        progress.page_size
    );
}

#[tokio::test(flavor = "current_thread")]
async fn bad_sync_options_are_rejected_before_any_request() {
    let c = client("http://127.0.0.1:9", PAGE_TOKEN, 1);
    let m = options(Platform::Messenger);
    let cases = [
        ("a/b", m.clone()),
        (PAGE_ID, SyncOptions::default()),
        (
            PAGE_ID,
            SyncOptions {
                details_per_conversation: Some(0),
                ..m.clone()
            },
        ),
        (
            PAGE_ID,
            SyncOptions {
                details_per_conversation: Some(21),
                ..m.clone()
            },
        ),
        (
            PAGE_ID,
            SyncOptions {
                concurrency: Some(0),
                ..m.clone()
            },
        ),
        (
            PAGE_ID,
            SyncOptions {
                since: Some("last week".into()),
                ..m.clone()
            },
        ),
        (
            PAGE_ID,
            SyncOptions {
                checkpoint: Some("nope".into()),
                ..m.clone()
            },
        ),
        (
            PAGE_ID,
            SyncOptions {
                page_size: Some(0),
                ..m.clone()
            },
        ),
    ];
    for (page, o) in cases {
        let err = c.sync_inbox(page, &o).err().expect("rejected");
        assert_eq!(err.kind, ErrorKind::InvalidArgument, "{o:?}");
    }
    // A checkpoint of one account does not resume another.
    let sim = sim(|c| c.messenger_threads = 5).await;
    let (items, _) = run(&sim.base_url(), PAGE_TOKEN, PAGE_ID, &m, 1).await;
    let other = SyncOptions {
        checkpoint: Some(items[0].checkpoint.clone()),
        platform: Some(Platform::Instagram),
        ..Default::default()
    };
    let err = c.sync_inbox(PAGE_ID, &other).err().unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
}
