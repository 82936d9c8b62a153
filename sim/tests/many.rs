//! Many accounts: extra Pages (`--pages`), each with its own token, inbox, rate buckets,
//! webhooks and ground truth, as an app with thousands of connected Pages sees Graph.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use common::*;
use graph_sim::{extra_page_id, Clock, Config};
use serde_json::{json, Value};

fn pages(n: u32) -> Config {
    Config { pages: n, ..fast() }
}

fn token(k: u32) -> String {
    Config::default().extra_page_token(k)
}

fn assert_unknown_object(r: &Resp) {
    assert_eq!(r.status, 400, "{}", r.text);
    let e = r.error();
    assert_eq!(
        (e["code"].as_u64(), e["error_subcode"].as_u64()),
        (Some(100), Some(33))
    );
}

#[tokio::test]
async fn two_thousand_pages_start_at_once_and_each_token_reads_only_its_own_inbox() {
    let started = Instant::now();
    let sim = Sim::start(pages(2_000)).await;

    let r = sim
        .fetch(&format!("{}/__sim/accounts", sim.base), Auth::None)
        .await;
    assert_eq!(r.header("x-total-count"), Some("2002"));
    let all = r.json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2_002);
    assert_eq!(
        (all[0]["id"].as_str(), all[1]["id"].as_str()),
        (Some(PAGE), Some(IG))
    );
    let slice = sim.control("/__sim/accounts?offset=1000&limit=2").await;
    let p1000 = &slice[1];
    assert_eq!(slice[0]["id"], "106000000100999");
    assert_eq!(p1000["id"], "106000000101000");
    assert_eq!(p1000["id"], extra_page_id(1_000));
    assert_eq!(p1000["token"], "sim-page-token-1000");
    assert_eq!(p1000["name"], "Kitty Café 1000");
    assert_eq!(p1000["platform_inboxes"], json!(["messenger"]));
    assert_eq!(p1000["inboxes"][0]["threads"], 8);
    assert_eq!(p1000["inboxes"][0]["customer_id_base"], "24000100000000000");

    // Page 1000's token: its own inbox, by `me` and by ID, with paging and details.
    let t = token(1_000);
    let mine = sim
        .get_as(&t, "/v26.0/me/conversations?limit=5&fields=id,participants")
        .await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let mine = mine.json();
    let first = mine["data"][0].clone();
    let next = mine["paging"]["next"].as_str().unwrap();
    assert!(next.contains("access_token=sim-page-token-1000"), "{next}");
    let rest = sim.fetch(next, Auth::None).await.json();
    let listed = mine["data"].as_array().unwrap().len() + rest["data"].as_array().unwrap().len();
    assert_eq!(listed, sim.listed(&extra_page_id(1_000), "messenger").await);
    let by_id = sim
        .get_as(
            &t,
            &format!(
                "/{}/conversations?limit=5&fields=id,participants",
                extra_page_id(1_000)
            ),
        )
        .await;
    assert_eq!(by_id.json()["data"][0], first);
    let business = &first["participants"]["data"][1];
    assert_eq!(business["id"], "106000000101000");
    let customer = first["participants"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(customer.starts_with("2400010000000000"), "{customer}");
    let found = sim
        .get_as(&t, &format!("/me/conversations?user_id={customer}"))
        .await
        .json();
    assert_eq!(found["data"][0]["id"], first["id"]);

    let thread = first["id"].as_str().unwrap();
    let messages = sim.get_as(&t, &format!("/{thread}/messages")).await.json();
    let mid = messages["data"][0]["id"].as_str().unwrap();
    let m = sim
        .get_as(&t, &format!("/{mid}?fields=from,to,message"))
        .await;
    assert_eq!(m.status, 200, "{}", m.text);

    // Another Page's token, or the fixed Page's, sees none of it (Graph's 100/33).
    for other in [token(999), PAGE_TOKEN.to_owned()] {
        assert_unknown_object(&sim.get_as(&other, &format!("/{thread}")).await);
        assert_unknown_object(&sim.get_as(&other, &format!("/{mid}")).await);
        let path = format!("/{}/conversations", extra_page_id(1_000));
        assert_unknown_object(&sim.get_as(&other, &path).await);
        let none = sim
            .get_as(&other, &format!("/me/conversations?user_id={customer}"))
            .await;
        assert_eq!(none.json(), json!({"data": []}));
    }
    // Tokens of Pages that do not exist, or not written canonically, are unknown (190).
    for bad in [
        "sim-page-token-2001",
        "sim-page-token-0",
        "sim-page-token-01",
    ] {
        let r = sim.get_as(bad, "/me").await;
        assert_eq!(
            (r.status, r.error()["code"].as_u64()),
            (400, Some(190)),
            "{bad}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "2,000 Pages took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn each_page_has_its_own_rate_bucket_and_pacing_stats() {
    let clock = Clock::manual(graph_sim::ANCHOR * 1000);
    let config = Config {
        pages: 3,
        clock: clock.clone(),
        ..Config::default()
    };
    let sim = Sim::start(config).await;
    let (one, two) = (token(1), token(2));
    for _ in 0..2 {
        assert_eq!(sim.get_as(&one, "/me/conversations").await.status, 200);
    }
    let throttled = sim.get_as(&one, "/me/conversations").await;
    assert_eq!(throttled.error()["code"], 613);
    let buc: Value =
        serde_json::from_str(throttled.header("x-business-use-case-usage").unwrap()).unwrap();
    assert_eq!(buc[extra_page_id(1)][0]["call_count"], 100);

    // Page 2 is served while Page 1 is throttled, and so is the fixed Page.
    assert_eq!(sim.get_as(&two, "/me/conversations").await.status, 200);
    assert_eq!(sim.get("/me/conversations").await.status, 200);
    clock.advance(700);
    assert_eq!(sim.get_as(&two, "/me/conversations").await.status, 200);

    let stats = sim.control("/__sim/stats").await;
    let (p1, p2) = (extra_page_id(1), extra_page_id(2));
    assert_eq!(stats["by_account"][&p1], 3);
    assert_eq!(stats["by_account"][&p2], 2);
    assert_eq!(
        stats["pacing"][&p1],
        json!({"served": 2, "throttled": 1, "min_gap_ms": 0})
    );
    assert_eq!(
        stats["pacing"][&p2],
        json!({"served": 2, "throttled": 0, "min_gap_ms": 700})
    );
    assert_eq!(stats["pacing"][PAGE]["min_gap_ms"], Value::Null);
    assert!(
        stats["pacing"].get(extra_page_id(3)).is_none(),
        "never called"
    );
}

/// A receiver that takes every webhook POST; the simulator's own log keeps the bodies.
async fn receiver() -> (String, tokio::task::JoinHandle<()>) {
    let app = Router::new().route("/hook", post(|| async { StatusCode::OK }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, task)
}

async fn subscribed(mut config: Config) -> (Sim, tokio::task::JoinHandle<()>) {
    let (url, task) = receiver().await;
    config.webhook_url = Some(url);
    config.settings.webhook_batch_ms = 20;
    config.settings.webhook_duplicate_rate = 0.0;
    config.settings.webhook_reorder_rate = 0.0;
    (Sim::start(config).await, task)
}

/// `(object, entry.id, item)` of every event delivered so far, once `n` have arrived.
async fn delivered(sim: &Sim, n: usize) -> Vec<(String, String, Value)> {
    for _ in 0..300 {
        let items: Vec<(String, String, Value)> = sim
            .handle
            .webhook_log()
            .iter()
            .filter(|d| d.status == Some(200))
            .flat_map(|d| {
                let body: Value = serde_json::from_slice(&d.body).unwrap();
                let object = body["object"].as_str().unwrap().to_owned();
                let entries = body["entry"].as_array().unwrap().clone();
                entries.into_iter().flat_map(move |e| {
                    let (object, id) = (object.clone(), e["id"].as_str().unwrap().to_owned());
                    let items = e["messaging"].as_array().unwrap().clone();
                    items
                        .into_iter()
                        .map(move |i| (object.clone(), id.clone(), i))
                })
            })
            .collect();
        if items.len() >= n {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("fewer than {n} webhook events arrived");
}

#[tokio::test]
async fn a_control_message_on_page_k_is_a_webhook_for_page_k_and_in_its_truth() {
    let (sim, _receiver) = subscribed(pages(50)).await;
    let mut threads = Vec::new();
    for k in [37, 3] {
        let list = sim
            .get_as(&token(k), "/me/conversations?limit=1")
            .await
            .json();
        let thread = list["data"][0]["id"].as_str().unwrap().to_owned();
        let r = sim
            .post(
                "/__sim/messages",
                json!({"conversation_id": thread, "text": format!("hello page {k}")}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        threads.push((k, thread, r.json()["id"].as_str().unwrap().to_owned()));
    }
    let read = sim
        .post("/__sim/reads", json!({"conversation_id": threads[0].1}))
        .await;
    assert_eq!(read.status, 200, "{}", read.text);

    let items = delivered(&sim, 3).await;
    for (k, thread, mid) in &threads {
        let page = extra_page_id(*k);
        let (object, _, item) = items
            .iter()
            .find(|(_, _, i)| i["message"]["mid"] == mid.as_str())
            .expect("the message's event");
        assert_eq!(object, "page");
        assert_eq!(item["recipient"]["id"], page.as_str());
        assert!(items
            .iter()
            .any(|(_, id, i)| *id == page && i["message"]["mid"] == mid.as_str()));

        let truth = sim
            .control(&format!("/__sim/truth?account={page}&platform=messenger"))
            .await;
        assert_eq!(truth["entry_id"], page.as_str());
        let top = &truth["threads"][0];
        assert_eq!(top["id"], thread.as_str());
        let newest = top["messages"].as_array().unwrap().last().unwrap();
        assert_eq!(newest["id"], mid.as_str());
        assert_eq!(newest["text"], format!("hello page {k}"));
    }
    let p37 = extra_page_id(37);
    assert!(items
        .iter()
        .any(|(_, id, i)| *id == p37 && i["read"]["watermark"].is_i64()));
    // The Graph view of Page 37 agrees: the thread is on top with the new snippet.
    let top = sim
        .get_as(&token(37), "/me/conversations?limit=1&fields=snippet")
        .await
        .json();
    assert_eq!(top["data"][0]["snippet"], "hello page 37");
    let other = sim
        .fetch(
            &format!("{}/__sim/truth?account=106000000100051", sim.base),
            Auth::None,
        )
        .await;
    assert_eq!(other.status, 404);
}

#[tokio::test]
async fn extra_pages_can_have_instagram_inboxes_and_traffic_can_be_limited_to_some_accounts() {
    let config = Config {
        page_instagram_threads: 4,
        ..pages(20)
    };
    let (sim, _receiver) = subscribed(config).await;
    let ig = sim
        .get_as(
            &token(5),
            "/me/conversations?platform=instagram&fields=participants",
        )
        .await
        .json();
    assert_eq!(
        ig["data"].as_array().unwrap().len(),
        sim.listed(&extra_page_id(5), "instagram").await
    );
    assert_eq!(
        ig["data"][0]["participants"]["data"][1]["id"],
        "17841400100000005"
    );
    let accounts = sim.control("/__sim/accounts?offset=6&limit=1").await;
    assert_eq!(
        accounts[0]["platform_inboxes"],
        json!(["messenger", "instagram"])
    );
    assert_eq!(accounts[0]["inboxes"][1]["entry_id"], "17841400100000005");

    let bad = sim
        .post(
            "/__sim/webhooks/traffic",
            json!({"rate": 100, "accounts": ["123"]}),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let (p5, p9) = (extra_page_id(5), extra_page_id(9));
    let r = sim
        .post(
            "/__sim/webhooks/traffic",
            json!({"rate": 1000, "steps": 40, "accounts": [p5, p9]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["traffic"]["accounts"], json!([p5, p9]));
    let items = delivered(&sim, 30).await;
    let ids: BTreeSet<&str> = items.iter().map(|(_, id, _)| id.as_str()).collect();
    let allowed = [
        p5.as_str(),
        p9.as_str(),
        "17841400100000005",
        "17841400100000009",
    ];
    assert!(ids.iter().all(|id| allowed.contains(id)), "{ids:?}");
    assert!(
        ids.len() >= 3,
        "traffic spreads over both Pages' inboxes: {ids:?}"
    );
}

#[tokio::test]
async fn without_an_instagram_account_an_extra_page_refuses_platform_instagram() {
    let sim = Sim::start(pages(2)).await;
    let r = sim
        .get_as(&token(2), "/me/conversations?platform=instagram")
        .await;
    assert_eq!((r.status, r.error()["code"].as_u64()), (400, Some(100)));
    let truth = sim
        .fetch(
            &format!(
                "{}/__sim/truth?account={}&platform=instagram",
                sim.base,
                extra_page_id(2)
            ),
            Auth::None,
        )
        .await;
    assert_eq!(truth.status, 400);
}

#[tokio::test]
async fn heavy_settings_and_faults_apply_to_extra_pages_too() {
    let mut config = pages(4);
    config.settings.reduce_data_threshold = 10;
    let sim = Sim::start(config).await;
    let heavy = sim.get_as(&token(4), "/me/conversations?limit=11").await;
    assert_eq!(
        (heavy.status, heavy.error()["code"].as_u64()),
        (500, Some(1))
    );

    let r = sim
        .post(
            "/__sim/config",
            json!({"faults": {"throttle": 1.0, "throttle_burst": 2}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let throttled = sim.get_as(&token(3), "/me/conversations").await;
    assert_eq!(throttled.error()["code"], 613);
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["pacing"][extra_page_id(3)]["throttled"], 1);
    assert_eq!(stats["pacing"][extra_page_id(4)]["served"], 1);
}
