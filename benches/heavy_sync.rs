//! `make bench`: syncInbox against Graphs with a hidden size limit, 1,000 Instagram threads × 30
//! messages at 2 calls/s, for every failure style graph-sim has and thresholds from "only the
//! smallest request passes" to "no limit". Time is virtual (the client's pacer, backoffs and
//! timeouts advance a clock; the network costs nothing), so a cell that needs 2,000 requests
//! takes seconds, not 17 minutes. Prints the BENCHMARKS.md section as Markdown.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use graph_conversations::Platform;
use graph_sim::HeavyFailure;

const THREADS: u64 = 1_000;
const MESSAGES: u64 = 30;
const DETAIL_FIELDS: u64 = 12;
const TIMEOUT_MS: f64 = 5_000.0;
const RATE: f64 = 2.0;

/// The fewest requests that read `threads` listed threads under `threshold` (cost = threads ×
/// nested limit × nested fields; 0 = no limit; Graph pages hold at most 100 threads), whatever
/// the nested limit: a limit of at least 30 reads each thread whole, a smaller one (at least the
/// 20 detailed messages) needs one `/messages` request per thread.
fn lower_bound(threads: u64, threshold: u64) -> u64 {
    let page = |nested: u64| match threshold {
        0 => 100,
        t => (t / (nested * DETAIL_FIELDS)).min(100),
    };
    let whole = page(MESSAGES);
    if whole > 0 {
        return threads.div_ceil(whole);
    }
    threads.div_ceil(page(20).max(1)) + threads
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let thresholds = [20 * DETAIL_FIELDS, 3_600, 18_000, 0];
    let mut rows = Vec::new();
    let mut worst = (0.0f64, 0.0f64);
    let mut listed = 0;
    for style in HeavyFailure::ALL.iter().copied() {
        let mut cells = Vec::new();
        for threshold in thresholds {
            let sim = sim(|c| {
                c.seed = 42;
                c.instagram_threads = THREADS as u32;
                c.messages = MESSAGES as u32..=MESSAGES as u32;
                c.settings.reduce_data_threshold = threshold;
                c.settings.heavy_failure = style;
                c.settings.heavy_timeout_ms = 60_000;
            })
            .await;
            let client = client_with(&sim.base_url(), IG_TOKEN, 1, |o| {
                o.requests_per_second = Some(RATE);
                o.timeout_ms = Some(TIMEOUT_MS);
                o.max_retries = None;
            });
            let (items, progress) = drain(&client, "me", &options(Platform::Instagram)).await;
            let threads = items.len() as u64;
            let lb = lower_bound(threads, threshold);
            listed = threads;
            let requests = progress.requests as f64 / lb as f64;
            let wall = progress.elapsed_ms as f64 / (lb as f64 / RATE * 1000.0);
            worst = (worst.0.max(requests), worst.1.max(wall));
            eprintln!(
                "[bench-heavy] {} threshold {threshold}: {threads} threads, {} requests (lb {lb}), {:.1} s, {} throttled",
                style.name(),
                progress.requests,
                progress.elapsed_ms as f64 / 1000.0,
                progress.throttled
            );
            cells.push(format!(
                "{} req ({requests:.2}×), {:.0} s ({wall:.2}×)",
                progress.requests,
                progress.elapsed_ms as f64 / 1000.0
            ));
        }
        rows.push(format!("| {} | {} |", style.name(), cells.join(" | ")));
    }
    let header: Vec<String> = thresholds
        .iter()
        .map(|t| match t {
            0 => "no limit".to_owned(),
            t => format!("cost ≤ {t}"),
        })
        .collect();
    let bounds: Vec<String> = thresholds
        .iter()
        .map(|&t| {
            let lb = lower_bound(listed, t);
            format!("{lb} req, {:.0} s", lb as f64 / RATE)
        })
        .collect();
    println!(
        "1,000 Instagram threads × 30 messages ({listed} of them in the listed folder), syncInbox with its defaults at 2 calls/s, \
         `timeoutMs` {TIMEOUT_MS} ms, against graph-sim with a hidden size limit (cost = threads × \
         nested messages × nested fields) and each way an over-heavy request fails. Virtual \
         time: pacing, backoffs and timeouts count in full, the network is free. Each cell: \
         requests and wall time, with their ratio to the lower bound (the fewest requests that \
         fit under the limit, at 2 per second). A failure that is a timeout costs the client's \
         whole `timeoutMs`, which dominates that style's time where the lower bound is short. \
         Worst cell: {:.2}× requests, {:.2}× wall time \
         (goal: ≤ 1.2× both). Throttling answers: 0 (the pacer keeps 2 calls/s).\n",
        worst.0, worst.1
    );
    println!("| failure style | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(thresholds.len()));
    println!("| lower bound | {} |", bounds.join(" | "));
    for row in rows {
        println!("{row}");
    }
}
