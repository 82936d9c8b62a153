//! Over-heavy list requests: the cost model, each failure style, refused nested details, and
//! how such calls are counted, logged and rate-limited.

mod common;

use std::time::{Duration, Instant};

use clap::Parser;
use common::*;
use graph_sim::{request_cost, Clock, Config, HeavyFailure, RefuseNested};
use serde_json::{json, Value};

/// 4 threads × 10 nested messages × 3 fields = 120.
const HEAVY: &str = "/v26.0/me/conversations?limit=4&fields=messages.limit(10){id,from,message}";
const LIGHT: &str = "/v26.0/me/conversations?limit=2&fields=snippet";

fn threshold(max: u64) -> Config {
    let mut config = fast();
    config.settings.reduce_data_threshold = max;
    config
}

/// Threshold 100 (below `HEAVY`) and a failure style.
fn styled(style: HeavyFailure) -> Config {
    let mut config = threshold(100);
    config.settings.heavy_failure = style;
    config
}

async fn set(sim: &Sim, patch: Value) {
    let r = sim.post("/__sim/config", patch).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

fn exact_error(r: &Resp, status: u16, error: Value) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    let mut error = error;
    error["fbtrace_id"] = r.header("x-fb-trace-id").expect("trace header").into();
    assert_eq!(r.json(), json!({ "error": error }));
}

async fn light_is_fine(sim: &Sim) {
    let r = sim.get(LIGHT).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["data"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn cost_at_the_threshold_passes_and_one_above_fails() {
    let cost = request_cost(4, 10, 3);
    assert_eq!(cost, 120);
    let sim = Sim::start(threshold(cost)).await;
    assert_eq!(sim.get(HEAVY).await.status, 200);
    set(&sim, json!({"reduce_data_threshold": cost - 1})).await;
    assert_eq!(sim.get(HEAVY).await.status, 500);

    // `messages` without `{...}` counts its 2 default fields; no `messages` costs the limit.
    set(
        &sim,
        json!({"reduce_data_threshold": request_cost(2, 25, 2)}),
    )
    .await;
    let plain = |limit| format!("/me/conversations?limit={limit}&fields=messages");
    assert_eq!(sim.get(&plain(2)).await.status, 200);
    assert_eq!(sim.get(&plain(3)).await.status, 500);
    set(&sim, json!({"reduce_data_threshold": 7})).await;
    assert_eq!(sim.get("/me/conversations?limit=7").await.status, 200);
    assert_eq!(sim.get("/me/conversations?limit=8").await.status, 500);

    // The nested limit is clamped at max_limit before it is costed; 0 means no limit.
    set(
        &sim,
        json!({"reduce_data_threshold": request_cost(1, 100, 1)}),
    )
    .await;
    let path = "/me/conversations?limit=1&fields=messages.limit(500){id}";
    assert_eq!(sim.get(path).await.status, 200);
    set(&sim, json!({"reduce_data_threshold": 0})).await;
    let all =
        "/me/conversations?limit=100&fields=messages.limit(100){id,from,to,message,attachments}";
    assert_eq!(sim.get(all).await.status, 200);
}

#[tokio::test]
async fn graph_shaped_styles_answer_their_exact_envelopes() {
    let sim = Sim::start(threshold(100)).await;
    // Default: today's code 1.
    exact_error(
        &sim.get(HEAVY).await,
        500,
        json!({"message": "Please reduce the amount of data you're asking for, then retry your request",
               "type": "OAuthException", "code": 1}),
    );
    light_is_fine(&sim).await;

    set(&sim, json!({"heavy_failure": "unknown"})).await;
    exact_error(
        &sim.get(HEAVY).await,
        500,
        json!({"message": "An unknown error has occurred.", "type": "OAuthException", "code": 1}),
    );
    light_is_fine(&sim).await;

    set(&sim, json!({"heavy_failure": "unavailable"})).await;
    exact_error(
        &sim.get(HEAVY).await,
        503,
        json!({"message": "Service temporarily unavailable", "type": "OAuthException",
               "code": 2, "is_transient": true}),
    );
    light_is_fine(&sim).await;
}

#[tokio::test]
async fn html_styles_answer_a_proxy_page() {
    let sim = Sim::start(styled(HeavyFailure::Html502)).await;
    for (style, status, title) in [
        ("html-502", 502, "<title>502 Bad Gateway</title>"),
        ("html-503", 503, "<title>Service Unavailable</title>"),
    ] {
        set(&sim, json!({ "heavy_failure": style })).await;
        let r = sim.get(HEAVY).await;
        assert_eq!(r.status, status, "{style}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.text.starts_with("<!DOCTYPE html>") && r.text.contains(title));
        assert!(serde_json::from_str::<Value>(&r.text).is_err(), "not JSON");
        light_is_fine(&sim).await;
    }
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let sim = Sim::start(styled(HeavyFailure::Drop)).await;
    for _ in 0..3 {
        let r = sim
            .try_fetch(&format!("{}{HEAVY}", sim.base), Auth::Bearer(PAGE_TOKEN))
            .await;
        assert!(r.is_err(), "dropped: {:?}", r.map(|r| r.status));
        light_is_fine(&sim).await;
    }
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["heavy"], json!({"drop": 3}));
    assert_eq!(
        (stats["by_status"]["0"].as_u64(), stats["requests"].as_u64()),
        (Some(3), Some(6))
    );
}

#[tokio::test]
async fn a_drop_fault_cannot_turn_a_heavy_drop_into_an_answer() {
    let mut config = styled(HeavyFailure::Drop);
    config.settings.faults.drop = 1.0;
    let sim = Sim::start(config).await;
    for _ in 0..10 {
        let r = sim
            .try_fetch(&format!("{}{HEAVY}", sim.base), Auth::Bearer(PAGE_TOKEN))
            .await;
        assert!(r.is_err(), "dropped: {:?}", r.map(|r| r.status));
    }
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["by_status"], json!({"0": 10}), "{stats}");
}

#[tokio::test]
async fn timeout_holds_the_call_without_blocking_others_then_closes_it() {
    let config = styled(HeavyFailure::Timeout);
    assert_eq!(config.settings.heavy_timeout_ms, 120_000, "the default");
    let sim = Sim::start(config).await;
    let url = format!("{}{HEAVY}", sim.base);

    // A client's own timeout fires long before the 120 s hold ends.
    let started = Instant::now();
    let r = sim
        .http
        .get(&url)
        .bearer_auth(PAGE_TOKEN)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(r.as_ref().is_err_and(|e| e.is_timeout()), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Another held call is under way while light calls are answered at once.
    let held = tokio::spawn({
        let (http, url) = (sim.http.clone(), url.clone());
        async move { http.get(&url).bearer_auth(PAGE_TOKEN).send().await }
    });
    for _ in 0..3 {
        let started = Instant::now();
        light_is_fine(&sim).await;
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    // Both held calls are already logged and counted, with status 0.
    let log = sim.control("/__sim/requests").await;
    let timeouts: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["heavy"] == "timeout")
        .collect();
    assert_eq!(timeouts.len(), 2, "{log}");
    assert!(timeouts.iter().all(|e| e["status"] == 0));
    assert_eq!(sim.control("/__sim/stats").await["heavy"]["timeout"], 2);
    assert!(!held.is_finished(), "still held");

    // A short hold ends with the connection closed and no answer.
    set(&sim, json!({"heavy_timeout_ms": 150})).await;
    let started = Instant::now();
    let r = sim.try_fetch(&url, Auth::Bearer(PAGE_TOKEN)).await;
    assert!(r.is_err(), "no answer: {:?}", r.map(|r| r.status));
    assert!(started.elapsed() >= Duration::from_millis(150));

    // Stopping the simulator ends the call still held for 120 s.
    let started = Instant::now();
    drop(sim);
    let r = tokio::time::timeout(Duration::from_secs(10), held)
        .await
        .expect("shutdown ends the held call")
        .unwrap();
    assert!(r.is_err(), "no answer: {:?}", r.map(|r| r.status()));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn nested_details_beyond_the_newest_20_can_be_refused() {
    let mut config = fast();
    config.settings.refuse_nested_details = RefuseNested::Deleted;
    let sim = Sim::start(config).await;
    let list = |nested: &str| format!("/v26.0/me/conversations?limit=3&fields=id,{nested}");
    for nested in [
        "messages.limit(20){id,from,message}",
        "messages.limit(50){id,created_time}",
        "messages.limit(100)",
        "participants",
    ] {
        assert_eq!(sim.get(&list(nested)).await.status, 200, "{nested}");
    }
    let deleted = json!({"message": "This Message has been deleted by the user or the business.",
                         "type": "OAuthException", "code": 9_000_001});
    // `messages{...}` without a limit asks for 25.
    for nested in ["messages.limit(21){id,from}", "messages{message}"] {
        exact_error(&sim.get(&list(nested)).await, 400, deleted.clone());
    }
    // A single thread and a user_id lookup too.
    let page = sim.ok("/me/conversations?limit=1").await;
    let thread = page["data"][0]["id"].as_str().unwrap();
    let r = sim
        .get(&format!("/{thread}?fields=messages.limit(30){{from}}"))
        .await;
    exact_error(&r, 400, deleted.clone());

    set(&sim, json!({"refuse_nested_details": "code-100"})).await;
    exact_error(
        &sim.get(&list("messages.limit(21){id,from}")).await,
        400,
        json!({"message": "(#100) Param messages.limit must be at most 20 when messages ask for fields other than id and created_time, got 21",
               "type": "OAuthException", "code": 100}),
    );
    light_is_fine(&sim).await;

    // `off` allows everything again.
    set(&sim, json!({"refuse_nested_details": "off"})).await;
    assert_eq!(
        sim.get(&list("messages.limit(21){id,from}")).await.status,
        200
    );
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(
        stats["heavy"],
        json!({"nested-9000001": 3, "nested-code-100": 1})
    );
}

#[tokio::test]
async fn refusal_comes_before_the_cost_check() {
    let mut config = threshold(1);
    config.settings.refuse_nested_details = RefuseNested::InvalidParam;
    config.detail_window = 5;
    let sim = Sim::start(config).await;
    let r = sim
        .get("/me/conversations?limit=9&fields=messages.limit(6){from}")
        .await;
    assert_eq!((r.status, r.error()["code"].as_u64()), (400, Some(100)));
    let r = sim
        .get("/me/conversations?limit=9&fields=messages.limit(5){from}")
        .await;
    assert_eq!((r.status, r.error()["code"].as_u64()), (500, Some(1)));
}

#[tokio::test]
async fn heavy_calls_are_logged_with_their_cursor_and_counted() {
    let sim = Sim::start(threshold(100)).await;
    let first = sim.ok("/me/conversations?limit=4").await;
    let after = first["paging"]["cursors"]["after"]
        .as_str()
        .unwrap()
        .to_owned();
    let retry = format!("{HEAVY}&after={after}");
    for _ in 0..3 {
        assert_eq!(sim.get(&retry).await.status, 500);
    }
    let log = sim.control("/__sim/requests").await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 4);
    assert!(log[0].get("cursor").is_none() && log[0].get("heavy").is_none());
    let same_cursor = log.iter().filter(|e| e["cursor"] == after.as_str()).count();
    assert_eq!(same_cursor, 3);
    assert!(log[1..]
        .iter()
        .all(|e| e["heavy"] == "reduce-data" && e["status"] == 500));
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(
        (
            stats["requests"].as_u64(),
            &stats["by_status"]["500"],
            &stats["heavy"]
        ),
        (Some(4), &json!(3), &json!({"reduce-data": 3}))
    );
}

#[tokio::test]
async fn heavy_calls_draw_from_the_rate_limit() {
    let clock = Clock::manual(graph_sim::ANCHOR * 1000);
    let mut config = Config {
        clock: clock.clone(),
        ..Config::default()
    };
    config.settings.reduce_data_threshold = 100;
    config.settings.heavy_failure = HeavyFailure::Unknown;
    let sim = Sim::start(config).await;
    let r = sim.get(HEAVY).await;
    assert_eq!(r.status, 500);
    assert!(r
        .header("x-app-usage")
        .unwrap()
        .contains("\"call_count\":50"));
    assert_eq!(sim.get(HEAVY).await.status, 500);
    let r = sim.get(LIGHT).await;
    assert_eq!((r.status, r.error()["code"].as_u64()), (400, Some(613)));
    clock.advance(1_000);
    light_is_fine(&sim).await;
}

/// The light calls' bodies are the same whether or not heavy calls of any style run between
/// them.
#[tokio::test]
async fn a_failing_heavy_call_never_changes_a_light_one() {
    async fn lights(sim: &Sim, heavy: Option<HeavyFailure>) -> Vec<String> {
        let mut out = Vec::new();
        let mut path =
            "/v26.0/me/conversations?limit=3&fields=participants,messages.limit(3){id,message}"
                .to_owned();
        for round in 0..4 {
            if let Some(style) = heavy {
                set(sim, json!({ "heavy_failure": style.name() })).await;
                let r = sim
                    .try_fetch(&format!("{}{HEAVY}", sim.base), Auth::Bearer(PAGE_TOKEN))
                    .await;
                assert!(
                    r.map_or(true, |r| r.status >= 500),
                    "{style:?} round {round}"
                );
            }
            let r = sim.get(&path).await;
            assert_eq!(r.status, 200, "{}", r.text);
            let body = r.json();
            out.push(body.to_string().replace(&sim.base, "BASE"));
            let next = body["paging"]["next"].as_str().unwrap();
            path = next.strip_prefix(&sim.base).unwrap().to_owned();
        }
        out
    }
    let clean = Sim::start(threshold(100)).await;
    let expected = lights(&clean, None).await;
    for style in HeavyFailure::ALL.iter().copied() {
        let mut config = threshold(100);
        config.settings.heavy_timeout_ms = 20;
        let sim = Sim::start(config).await;
        assert_eq!(lights(&sim, Some(style)).await, expected, "{style:?}");
        assert_eq!(sim.control("/__sim/stats").await["heavy"][style.name()], 4);
    }
}

#[test]
fn flags_and_config_round_trip() {
    let cli = graph_sim::cli::Cli::try_parse_from([
        "graph-sim",
        "--reduce-data-threshold",
        "120",
        "--heavy-failure",
        "html-503",
        "--heavy-timeout-ms",
        "5000",
        "--refuse-nested-details",
        "9000001",
    ])
    .unwrap();
    let s = &cli.config.settings;
    assert_eq!(
        (
            s.reduce_data_threshold,
            s.heavy_failure,
            s.heavy_timeout_ms,
            s.refuse_nested_details
        ),
        (120, HeavyFailure::Html503, 5_000, RefuseNested::Deleted)
    );
    let d = graph_sim::Settings::default();
    assert_eq!(
        (
            d.reduce_data_threshold,
            d.heavy_failure,
            d.heavy_timeout_ms,
            d.refuse_nested_details
        ),
        (0, HeavyFailure::ReduceData, 120_000, RefuseNested::Off)
    );
    for bad in [
        ["--heavy-failure", "slow"],
        ["--refuse-nested-details", "on"],
    ] {
        assert!(graph_sim::cli::Cli::try_parse_from(["graph-sim", bad[0], bad[1]]).is_err());
    }
}

#[tokio::test]
async fn the_control_api_reads_and_checks_the_settings() {
    let sim = Sim::start(fast()).await;
    let c = sim.control("/__sim/config").await;
    assert_eq!(
        (
            &c["reduce_data_threshold"],
            &c["heavy_failure"],
            &c["heavy_timeout_ms"],
            &c["refuse_nested_details"]
        ),
        (
            &json!(0),
            &json!("reduce-data"),
            &json!(120_000),
            &json!("off")
        )
    );
    let r = sim
        .post(
            "/__sim/config",
            json!({"heavy_failure": "html-502", "refuse_nested_details": "code-100"}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        (
            &r.json()["heavy_failure"],
            &r.json()["refuse_nested_details"]
        ),
        (&json!("html-502"), &json!("code-100"))
    );
    // All or nothing: a bad style changes nothing.
    let r = sim
        .post(
            "/__sim/config",
            json!({"heavy_failure": "timeout", "refuse_nested_details": "yes"}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        sim.control("/__sim/config").await["heavy_failure"],
        "html-502"
    );
}
