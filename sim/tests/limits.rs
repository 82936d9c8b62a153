//! Rate limits, injected faults and determinism.

mod common;

use std::time::{Duration, Instant};

use common::*;
use graph_sim::{Clock, Config, Faults};
use serde_json::{json, Value};

fn buc(r: &Resp) -> Value {
    serde_json::from_str(r.header("x-business-use-case-usage").expect("BUC header")).unwrap()
}

fn manual() -> (Clock, Config) {
    let clock = Clock::manual(graph_sim::ANCHOR * 1000);
    let config = Config {
        clock: clock.clone(),
        ..Config::default()
    };
    (clock, config)
}

#[tokio::test]
async fn two_calls_per_second_per_account_inbox_then_613() {
    let (clock, config) = manual();
    let sim = Sim::start(config).await;
    let list = "/v26.0/me/conversations?platform=messenger";

    let r = sim.get(list).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("x-app-usage"),
        Some(r#"{"call_count":50,"total_cputime":12,"total_time":25}"#)
    );
    assert_eq!(
        buc(&r),
        json!({PAGE: [{"type": "messenger", "call_count": 50, "total_cputime": 12,
                        "total_time": 25, "estimated_time_to_regain_access": 0}]})
    );
    assert_eq!(buc(&sim.get(list).await)[PAGE][0]["call_count"], 100);

    let r = sim.get(list).await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(
        (e["code"].as_u64(), e["error_subcode"].as_u64()),
        (Some(613), Some(2_534_040))
    );
    assert_eq!(e["type"], "OAuthException");
    assert_eq!(
        e["message"],
        "(#613) Calls to this api have exceeded the rate limit."
    );
    assert_eq!(buc(&r)[PAGE][0]["estimated_time_to_regain_access"], 0);
    assert!(
        r.header("retry-after").is_none(),
        "Meta sends no Retry-After"
    );

    // Each inbox has its own bucket: the Page's Instagram view and the Instagram account.
    assert_eq!(
        sim.get("/me/conversations?platform=instagram").await.status,
        200
    );
    let ig = sim.get_as(IG_TOKEN, "/me/conversations").await;
    assert_eq!(ig.status, 200);
    assert_eq!(buc(&ig)[IG][0]["type"], "instagram");

    clock.advance(499);
    assert_eq!(sim.get(list).await.status, 400, "not refilled yet");
    clock.advance(1);
    assert_eq!(sim.get(list).await.status, 200, "one call back after 0.5 s");

    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["throttled"], 2);
    assert_eq!(stats["by_status"]["400"], 2);

    // Runtime change: limits off.
    sim.post("/__sim/config", json!({"rate": 0})).await;
    for _ in 0..10 {
        assert_eq!(sim.get(list).await.status, 200);
    }
}

#[tokio::test]
async fn business_use_case_mode_answers_80006_and_reports_minutes_to_regain() {
    let (_clock, mut config) = manual();
    config.settings.buc_mode = true;
    config.settings.rate = 0.004;
    let sim = Sim::start(config).await;
    assert_eq!(sim.get("/me/conversations").await.status, 200);
    let r = sim.get("/me/conversations").await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(
        (e["code"].as_u64(), e["type"].as_str()),
        (Some(80006), Some("OAuthException"))
    );
    assert!(e.get("error_subcode").is_none());
    assert_eq!(
        e["message"],
        "(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again."
    );
    // 1 call / 250 s → 4 minutes (whole minutes, rounded down).
    assert_eq!(buc(&r)[PAGE][0]["estimated_time_to_regain_access"], 4);
}

async fn with_faults(faults: Faults) -> Sim {
    let mut config = fast();
    config.settings.faults = faults;
    Sim::start(config).await
}

#[tokio::test]
async fn transient_faults_answer_code_2_or_a_bare_503() {
    let sim = with_faults(Faults {
        transient: 1.0,
        ..Faults::default()
    })
    .await;
    let (mut json500, mut bare503) = (0, 0);
    for _ in 0..40 {
        let r = sim.get("/me/conversations").await;
        match r.status {
            500 => {
                let e = r.error();
                assert_eq!(
                    r.json(),
                    json!({"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                        "type": "OAuthException", "code": 2, "is_transient": true, "fbtrace_id": e["fbtrace_id"]}})
                );
                json500 += 1;
            }
            503 => {
                assert!(
                    r.text.is_empty() || r.text.starts_with("<!DOCTYPE html>"),
                    "{}",
                    r.text
                );
                bare503 += 1;
            }
            other => panic!("status {other}"),
        }
    }
    assert!(json500 > 0 && bare503 > 0, "{json500} / {bare503}");
    // Control endpoints are never faulted.
    assert_eq!(sim.control("/__sim/stats").await["faults"]["transient"], 40);
}

#[tokio::test]
async fn throttle_faults_come_in_bursts_with_usage_headers() {
    let sim = with_faults(Faults {
        throttle: 1.0,
        ..Faults::default()
    })
    .await;
    let r = sim.get("/me/conversations").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["code"], 613);
    assert_eq!(buc(&r)[PAGE][0]["call_count"], 100);
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(
        (
            stats["throttled"].as_u64(),
            stats["faults"]["throttle"].as_u64()
        ),
        (Some(1), Some(1))
    );

    // A burst of K keeps throttling after the rate drops to 0.
    let sim = with_faults(Faults {
        throttle: 1.0,
        throttle_burst: 4,
        ..Faults::default()
    })
    .await;
    assert_eq!(sim.get("/me/conversations").await.status, 400);
    sim.post("/__sim/config", json!({"faults": {"throttle": 0.0}}))
        .await;
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(sim.get("/me/conversations").await.status);
        }
        v
    };
    assert_eq!(statuses, [400, 400, 400, 200, 200]);
}

#[tokio::test]
async fn malformed_and_truncated_bodies_keep_http_200() {
    let sim = with_faults(Faults::default()).await;
    let path = "/me/conversations?limit=5";
    let good = sim.get(path).await.text;

    sim.post("/__sim/config", json!({"faults": {"malformed": 1.0}}))
        .await;
    for _ in 0..10 {
        let r = sim.get(path).await;
        assert_eq!(r.status, 200);
        assert!(
            serde_json::from_str::<Value>(&r.text).is_err(),
            "{}",
            r.text
        );
    }
    sim.post(
        "/__sim/config",
        json!({"faults": {"malformed": 0.0, "truncated": 1.0}}),
    )
    .await;
    for _ in 0..10 {
        let r = sim.get(path).await;
        assert_eq!(r.status, 200);
        assert!(!r.text.is_empty() && r.text.len() < good.len());
        assert!(good.starts_with(&r.text), "a prefix of the real body");
    }
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["faults"], json!({"malformed": 10, "truncated": 10}));
}

#[tokio::test]
async fn slow_faults_delay_the_answer() {
    let sim = with_faults(Faults {
        slow: 1.0,
        slow_ms: 200,
        ..Faults::default()
    })
    .await;
    let started = Instant::now();
    let r = sim.get("/me/conversations").await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(sim.control("/__sim/stats").await["faults"]["slow"], 1);
}

#[tokio::test]
async fn dropped_connections_fail_the_request_but_not_the_server() {
    let sim = with_faults(Faults {
        drop: 1.0,
        ..Faults::default()
    })
    .await;
    let url = format!("{}/me/conversations", sim.base);
    for _ in 0..10 {
        let r = sim.try_fetch(&url, Auth::Bearer(PAGE_TOKEN)).await;
        assert!(r.is_err(), "dropped: {:?}", r.map(|r| r.status));
    }
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["faults"]["drop"], 10);
    // Both kinds happened: closed before any answer (logged as status 0) and mid-body (200).
    let by_status = &stats["by_status"];
    assert!(
        by_status["0"].as_u64() > Some(0) && by_status["200"].as_u64() > Some(0),
        "{stats}"
    );
    sim.post("/__sim/config", json!({"faults": {"drop": 0.0}}))
        .await;
    assert_eq!(sim.get("/me/conversations").await.status, 200);
}

/// Statuses and bodies of a fixed request sequence, with the base URL masked.
async fn transcript(seed: u64, faults: Faults) -> Vec<(u16, String)> {
    let mut config = Config { seed, ..fast() };
    config.settings.faults = faults;
    let sim = Sim::start(config).await;
    let mut out = Vec::new();
    let mut path = "/v26.0/me/conversations?fields=participants,snippet,messages.limit(5){id,message,from,attachments}&limit=40".to_owned();
    for _ in 0..3 {
        let r = sim.get(&path).await;
        let text = r.text.replace(&sim.base, "BASE");
        let body: Value = serde_json::from_str(&r.text).unwrap_or_default();
        if let Some(next) = body["paging"]["next"].as_str() {
            path = next.strip_prefix(&sim.base).unwrap().to_owned();
        }
        out.push((r.status, text));
    }
    for i in 0..30 {
        let r = sim
            .get_as(IG_TOKEN, &format!("/me/conversations?limit={}", i % 7 + 1))
            .await;
        out.push((r.status, r.text.replace(&sim.base, "BASE")));
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_bytes_and_another_seed_other_data() {
    let plain = Faults::default();
    let a = transcript(7, plain.clone()).await;
    assert_eq!(a, transcript(7, plain.clone()).await);
    assert_ne!(a, transcript(8, plain).await);

    let faulty = Faults {
        transient: 0.3,
        malformed: 0.2,
        ..Faults::default()
    };
    let f = transcript(7, faulty.clone()).await;
    assert_eq!(
        f,
        transcript(7, faulty.clone()).await,
        "faults are deterministic too"
    );
    assert_ne!(f, transcript(9, faulty).await);
    assert!(f.iter().any(|(s, _)| *s == 200) && f.iter().any(|(s, _)| *s != 200));
}
