//! Webhooks: a tiny receiver on loopback, the simulator delivering to it.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use common::{Sim, IG, PAGE};
use graph_sim::Config;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

const SECRET: &str = "whsec-test";
const TOKEN: &str = "tok-123";

/// What the receiver saw: each POST's signature header and exact bytes.
#[derive(Default)]
struct Seen {
    posts: Mutex<Vec<(String, Bytes)>>,
    /// Answer this many POSTs with 500 before answering 200.
    fail_first: AtomicUsize,
    /// Status of the handshake answer (200 echoes the challenge).
    handshake_status: AtomicU16,
    /// Hold the next POST's answer this long.
    delay_ms: AtomicU64,
}

struct Receiver {
    url: String,
    seen: Arc<Seen>,
    _task: tokio::task::JoinHandle<()>,
}

async fn handshake(
    State(seen): State<Arc<Seen>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> (StatusCode, String) {
    let status = seen.handshake_status.load(Ordering::SeqCst);
    let ok = q.get("hub.mode").map(String::as_str) == Some("subscribe")
        && q.get("hub.verify_token").map(String::as_str) == Some(TOKEN);
    match (ok, status) {
        (true, 200) => (StatusCode::OK, q["hub.challenge"].clone()),
        (true, s) => (StatusCode::from_u16(s).unwrap(), "no".into()),
        (false, _) => (StatusCode::FORBIDDEN, "wrong token".into()),
    }
}

async fn events(State(seen): State<Arc<Seen>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let sig = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(headers["content-type"], "application/json");
    seen.posts.lock().unwrap().push((sig, body));
    let delay = seen.delay_ms.swap(0, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let failing = seen
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

async fn receiver() -> Receiver {
    let seen = Arc::new(Seen::default());
    seen.handshake_status.store(200, Ordering::SeqCst);
    let app = Router::new()
        .route("/hook", get(handshake).post(events))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Receiver {
        url,
        seen,
        _task: task,
    }
}

impl Receiver {
    fn bodies(&self) -> Vec<Value> {
        let posts = self.seen.posts.lock().unwrap();
        posts
            .iter()
            .map(|(_, b)| serde_json::from_slice(b).unwrap())
            .collect()
    }

    /// Every messaging item received so far, with its envelope's object and entry id.
    fn items(&self) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        for body in self.bodies() {
            for entry in body["entry"].as_array().unwrap() {
                for item in entry["messaging"].as_array().unwrap() {
                    out.push((
                        body["object"].as_str().unwrap().to_owned(),
                        entry["id"].as_str().unwrap().to_owned(),
                        item.clone(),
                    ));
                }
            }
        }
        out
    }

    async fn wait_items(&self, n: usize) -> Vec<(String, String, Value)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let items = self.items();
            if items.len() >= n {
                return items;
            }
            assert!(
                Instant::now() < deadline,
                "only {} events: {items:?}",
                items.len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Fast, exact settings: no duplicates or reordering unless a test asks.
fn config() -> Config {
    let mut c = common::fast();
    c.webhook_secret = Some(SECRET.into());
    c.verify_token = TOKEN.into();
    c.messenger_threads = 6;
    c.instagram_threads = 4;
    let s = &mut c.settings;
    s.webhook_batch_ms = 40;
    s.webhook_duplicate_rate = 0.0;
    s.webhook_reorder_rate = 0.0;
    s.webhook_retry_base_ms = 20;
    s.webhook_retry_max_ms = 80;
    c
}

async fn subscribed(config: Config) -> (Sim, Receiver) {
    let sim = Sim::start(config).await;
    let rx = receiver().await;
    let r = sim
        .post("/__sim/webhooks/subscribe", json!({"url": rx.url}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (sim, rx)
}

async fn thread(sim: &Sim, platform: &str, n: usize) -> String {
    let list = sim
        .ok(&format!(
            "/v26.0/{PAGE}/conversations?platform={platform}&limit=10"
        ))
        .await;
    list["data"][n]["id"].as_str().unwrap().to_owned()
}

async fn say(sim: &Sim, conversation: &str, text: &str, from: &str) -> Value {
    let r = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": conversation, "text": text, "from": from}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// `POST /__sim/{what}` expecting 200.
async fn change(sim: &Sim, what: &str, body: Value) -> Value {
    let r = sim.post(&format!("/__sim/{what}"), body).await;
    assert_eq!(r.status, 200, "{what}: {}", r.text);
    r.json()
}

fn hmac_hex(body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn secs(created_time: &Value) -> i64 {
    chrono::DateTime::parse_from_str(created_time.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%z")
        .unwrap()
        .timestamp()
}

#[tokio::test]
async fn subscribing_needs_the_handshake() {
    let sim = Sim::start(config()).await;
    let rx = receiver().await;
    let before = sim.control("/__sim/webhooks").await;
    assert_eq!(before["enabled"], false);

    let wrong = sim
        .post(
            "/__sim/webhooks/subscribe",
            json!({"url": rx.url, "verify_token": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(
        wrong.json()["error"].as_str().unwrap().contains("403"),
        "{}",
        wrong.text
    );

    rx.seen.handshake_status.store(500, Ordering::SeqCst);
    let failing = sim
        .post("/__sim/webhooks/subscribe", json!({"url": rx.url}))
        .await;
    assert_eq!(failing.status, 400, "{}", failing.text);

    let closed = sim
        .post(
            "/__sim/webhooks/subscribe",
            json!({"url": "http://127.0.0.1:1/x"}),
        )
        .await;
    assert_eq!(closed.status, 400);
    assert_eq!(sim.control("/__sim/webhooks").await["enabled"], false);

    rx.seen.handshake_status.store(200, Ordering::SeqCst);
    let ok = sim
        .post("/__sim/webhooks/subscribe", json!({"url": rx.url}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let status = ok.json();
    assert_eq!(
        (status["enabled"].clone(), status["url"].clone()),
        (json!(true), json!(rx.url))
    );

    // The library path does the same handshake.
    sim.handle.subscribe_webhooks(&rx.url).await.unwrap();
    assert!(sim
        .handle
        .subscribe_webhooks("http://127.0.0.1:1/x")
        .await
        .is_err());
}

#[tokio::test]
async fn a_customer_message_arrives_escaped_signed_and_with_the_graph_id() {
    let (sim, rx) = subscribed(config()).await;
    let conv = thread(&sim, "messenger", 0).await;
    let added = say(&sim, &conv, "Café? https://kitty.cafe/menu 😀", "customer").await;
    rx.wait_items(1).await;

    let (sig, bytes) = rx.seen.posts.lock().unwrap()[0].clone();
    assert!(bytes.is_ascii(), "Meta escapes every non-ASCII character");
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains(r"Caf\u00e9? https:\/\/kitty.cafe\/menu \ud83d\ude00"),
        "{text}"
    );
    assert_eq!(sig, format!("sha256={}", hmac_hex(&bytes)));
    assert!(text.starts_with(r#"{"object":"page","entry":[{"id":"106000000000001","time":"#));

    let body: Value = serde_json::from_slice(&bytes).unwrap();
    let item = &body["entry"][0]["messaging"][0];
    let psid = sim.ok(&format!("/v26.0/{conv}?fields=participants")).await["participants"]["data"]
        [0]["id"]
        .clone();
    assert_eq!(item["sender"]["id"], psid);
    assert_eq!(item["recipient"]["id"], PAGE);
    assert_eq!(item["message"]["mid"], added["id"]);
    assert_eq!(item["message"]["text"], "Café? https://kitty.cafe/menu 😀");
    assert_eq!(
        item["timestamp"].as_i64().unwrap(),
        secs(&added["created_time"]) * 1000
    );

    let listed = sim
        .ok(&format!("/v26.0/{conv}/messages?fields=id,message"))
        .await;
    assert_eq!(listed["data"][0]["id"], added["id"]);
    let one = sim
        .ok(&format!(
            "/v26.0/{}?fields=message",
            added["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one["message"], "Café? https://kitty.cafe/menu 😀");

    // The in-process log has the same bytes.
    let log = sim.handle.webhook_log();
    assert_eq!(log[0].body, bytes);
    assert_eq!(log[0].mids, [added["id"].as_str().unwrap()]);
    let json_log = sim.control("/__sim/webhooks/log").await;
    assert_eq!(json_log[0]["body_len"], bytes.len());
    assert_eq!(json_log[0]["status"], 200);
}

#[tokio::test]
async fn business_messages_come_back_as_echoes_with_attachments_on_instagram() {
    let (sim, rx) = subscribed(config()).await;
    let conv = thread(&sim, "instagram", 1).await;
    let r = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": conv, "text": "", "from": "business",
                   "attachments": [{"type": "image", "url": "https://cdn.example/a.jpg"}]}),
        )
        .await;
    let added = r.json();
    let items = rx.wait_items(1).await;
    let (object, entry, item) = &items[0];
    assert_eq!((object.as_str(), entry.as_str()), ("instagram", IG));
    assert_eq!(item["sender"]["id"], IG);
    assert!(item["recipient"]["id"]
        .as_str()
        .unwrap()
        .starts_with("178500"));
    let m = &item["message"];
    assert_eq!(m["is_echo"], true);
    assert_eq!(m["app_id"], graph_sim::WEBHOOK_APP_ID);
    assert_eq!(m["mid"], added["id"]);
    assert_eq!(
        m["attachments"],
        json!([{"type": "image", "payload": {"url": "https://cdn.example/a.jpg"}}])
    );
    assert!(m.get("text").is_none());

    let graph = sim
        .ok(&format!(
            "/v26.0/{}?fields=attachments,from",
            added["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(graph["from"]["id"], IG);
    assert_eq!(
        graph["attachments"]["data"][0]["image_data"]["url"],
        "https://cdn.example/a.jpg"
    );
}

#[tokio::test]
async fn events_that_pile_up_go_in_one_post_with_one_entry_per_thread() {
    let mut c = config();
    c.settings.webhook_batch_ms = 300;
    let (sim, rx) = subscribed(c).await;
    let (a, b) = (
        thread(&sim, "messenger", 0).await,
        thread(&sim, "messenger", 1).await,
    );
    say(&sim, &a, "one", "customer").await;
    say(&sim, &b, "two", "customer").await;
    say(&sim, &a, "three", "business").await;
    rx.wait_items(3).await;
    let bodies = rx.bodies();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let entries = bodies[0]["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["messaging"].as_array().unwrap().len(), 2);
    assert_eq!(entries[0]["messaging"][1]["message"]["is_echo"], true);
}

#[tokio::test]
async fn reactions_edits_reads_and_unsends_emit_events_and_show_in_graph() {
    let (sim, rx) = subscribed(config()).await;
    let m_conv = thread(&sim, "messenger", 2).await;
    let i_conv = thread(&sim, "instagram", 2).await;
    let biz = say(&sim, &m_conv, "Your table is ready", "business").await;
    let cust = say(&sim, &m_conv, "Thanks", "customer").await;
    let ig_biz = say(&sim, &i_conv, "Hello from Kitty", "business").await;
    let ig_cust = say(&sim, &i_conv, "Oops typo", "customer").await;
    rx.wait_items(4).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();

    change(
        &sim,
        "reactions",
        json!({"message_id": id(&biz), "reaction": "love"}),
    )
    .await;
    let reacted = sim
        .ok(&format!("/v26.0/{}?fields=reactions", id(&biz)))
        .await;
    assert_eq!(
        reacted["reactions"]["data"][0]["reaction"],
        "\u{2764}\u{fe0f}"
    );
    let r = change(
        &sim,
        "reactions",
        json!({"message_id": id(&ig_biz), "emoji": "😮"}),
    )
    .await;
    assert_eq!(r["reaction"], "wow");
    let unreact = json!({"message_id": id(&ig_biz), "action": "unreact"});
    change(&sim, "reactions", unreact).await;
    let unreacted = sim
        .ok(&format!("/v26.0/{}?fields=reactions", id(&ig_biz)))
        .await;
    assert!(unreacted.get("reactions").is_none(), "{unreacted}");

    let e1 = change(
        &sim,
        "edits",
        json!({"message_id": id(&cust), "text": "Thanks!"}),
    )
    .await;
    let e2 = change(
        &sim,
        "edits",
        json!({"message_id": id(&cust), "text": "Thanks!!"}),
    )
    .await;
    assert_eq!(
        (e1["num_edit"].clone(), e2["num_edit"].clone()),
        (json!(1), json!(2))
    );
    let edited = sim
        .ok(&format!("/v26.0/{}?fields=message", id(&cust)))
        .await;
    assert_eq!(edited["message"], "Thanks!!");

    let read_m = change(&sim, "reads", json!({"conversation_id": m_conv})).await;
    let read_i = change(&sim, "reads", json!({"conversation_id": i_conv})).await;
    assert_eq!(read_i["read"]["mid"], ig_biz["id"]);

    change(&sim, "unsends", json!({"message_id": id(&ig_cust)})).await;
    let gone = sim
        .get(&format!("/v26.0/{}?fields=message", id(&ig_cust)))
        .await;
    assert_eq!(gone.error()["code"], 9000001);
    let listed = sim.ok(&format!("/v26.0/{i_conv}/messages")).await;
    assert!(listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["id"] != ig_cust["id"]));
    let mu = change(&sim, "unsends", json!({"message_id": id(&cust)})).await;
    assert_eq!(
        mu["webhook"],
        Value::Null,
        "Messenger has no unsend webhook"
    );

    assert_eq!(
        sim.post("/__sim/unsends", json!({"message_id": "m_nope"}))
            .await
            .status,
        404
    );
    assert_eq!(
        sim.post("/__sim/reads", json!({"conversation_id": "t_nope"}))
            .await
            .status,
        404
    );

    // 4 messages + 3 reactions + 2 edits + 2 reads + 1 Instagram unsend.
    let items = rx.wait_items(12).await;
    let kinds: Vec<(String, Value)> = items[4..]
        .iter()
        .map(|(object, _, item)| {
            let key = ["reaction", "message_edit", "read", "message"]
                .into_iter()
                .find(|k| item.get(*k).is_some())
                .unwrap();
            (format!("{object}:{key}"), item[key].clone())
        })
        .collect();
    let mut kinds = kinds;
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    let find = |k: &str| {
        kinds
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("page:reaction"),
        [
            json!({"reaction": "love", "emoji": "\u{2764}\u{fe0f}", "action": "react", "mid": biz["id"]})
        ]
    );
    assert_eq!(
        find("instagram:reaction"),
        [
            json!({"mid": ig_biz["id"], "action": "react", "reaction": "wow", "emoji": "😮"}),
            json!({"mid": ig_biz["id"], "action": "unreact"})
        ]
    );
    assert_eq!(
        find("page:message_edit")[1],
        json!({"mid": cust["id"], "text": "Thanks!!", "num_edit": 2})
    );
    assert_eq!(
        find("page:read"),
        [json!({"watermark": read_m["read"]["watermark"]})]
    );
    assert_eq!(find("instagram:read"), [json!({"mid": ig_biz["id"]})]);
    assert_eq!(
        find("instagram:message"),
        [json!({"mid": ig_cust["id"], "is_deleted": true})]
    );

    // The ground truth agrees.
    let truth = sim.control("/__sim/truth?platform=instagram").await;
    let t = truth["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == i_conv)
        .unwrap();
    let last = t["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["id"].clone(), last["unsent"].clone()),
        (ig_cust["id"].clone(), json!(true))
    );
    assert_eq!(t["read"]["mid"], ig_biz["id"]);
    assert_eq!(truth["entry_id"], IG);

    // Reset drops every change.
    sim.post("/__sim/reset", json!({})).await;
    let back = sim
        .get(&format!("/v26.0/{}?fields=message", id(&cust)))
        .await;
    assert_eq!(back.status, 400, "added messages are gone too");
}

#[tokio::test]
async fn a_failed_post_is_retried_until_it_succeeds() {
    let (sim, rx) = subscribed(config()).await;
    rx.seen.fail_first.store(2, Ordering::SeqCst);
    let conv = thread(&sim, "messenger", 0).await;
    let added = say(&sim, &conv, "retry me", "customer").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while sim.control("/__sim/webhooks").await["delivered"] != 1 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let log = sim.control("/__sim/webhooks/log").await;
    let attempts: Vec<(Value, Value)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["status"].clone(), d["attempt"].clone()))
        .collect();
    assert_eq!(
        attempts,
        [
            (json!(500), json!(1)),
            (json!(500), json!(2)),
            (json!(200), json!(3))
        ]
    );
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["mids"] == json!([added["id"]])));
    let status = sim.control("/__sim/webhooks").await;
    assert_eq!(
        (status["failed_attempts"].clone(), status["pending"].clone()),
        (json!(2), json!(0))
    );
    let bodies = rx.seen.posts.lock().unwrap().clone();
    assert!(bodies
        .iter()
        .all(|(sig, b)| *sig == format!("sha256={}", hmac_hex(b))));
}

#[tokio::test]
async fn an_unanswered_post_times_out_and_is_retried() {
    let mut c = config();
    c.settings.webhook_timeout_ms = 100;
    let (sim, rx) = subscribed(c).await;
    rx.seen.delay_ms.store(1_000, Ordering::SeqCst);
    let conv = thread(&sim, "instagram", 0).await;
    say(&sim, &conv, "slow", "customer").await;
    rx.wait_items(2).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while sim.control("/__sim/webhooks").await["delivered"] != 1 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let log = sim.handle.webhook_log();
    assert_eq!(log[0].error.as_deref(), Some("timeout after 100 ms"));
    assert_eq!((log[1].status, log[1].attempt), (Some(200), 2));
}

#[tokio::test]
async fn a_webhook_url_in_the_config_delivers_from_the_start() {
    let rx = receiver().await;
    let mut c = config();
    c.webhook_url = Some(rx.url.clone());
    let sim = Sim::start(c).await;
    assert_eq!(sim.handle.webhook_status()["enabled"], true);
    let conv = thread(&sim, "messenger", 3).await;
    let added = say(&sim, &conv, "hello", "customer").await;
    let items = rx.wait_items(1).await;
    assert_eq!(items[0].2["message"]["mid"], added["id"]);
}

#[tokio::test]
async fn failing_too_long_disables_until_subscribing_again() {
    let mut c = config();
    c.settings.webhook_disable_after_ms = 150;
    let (sim, rx) = subscribed(c).await;
    rx.seen.fail_first.store(usize::MAX, Ordering::SeqCst);
    let conv = thread(&sim, "messenger", 0).await;
    say(&sim, &conv, "into the void", "customer").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        let s = sim.control("/__sim/webhooks").await;
        if s["enabled"] == false {
            break s;
        }
        assert!(Instant::now() < deadline, "{s}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(
        status["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("failed continuously"),
        "{status}"
    );
    assert_eq!(status["pending"], 0);
    let posts = rx.seen.posts.lock().unwrap().len();
    assert!(posts >= 2, "retried before giving up");

    // Changes while disabled are dropped, as Meta keeps no history.
    say(&sim, &conv, "dropped", "customer").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(rx.seen.posts.lock().unwrap().len(), posts);

    rx.seen.fail_first.store(0, Ordering::SeqCst);
    let again = sim
        .post("/__sim/webhooks/subscribe", json!({"url": rx.url}))
        .await;
    assert_eq!(again.json()["enabled"], true);
    let added = say(&sim, &conv, "back", "customer").await;
    let items = rx.wait_items(posts + 1).await;
    assert_eq!(items.last().unwrap().2["message"]["mid"], added["id"]);
}

#[tokio::test]
async fn duplicate_rate_one_sends_every_post_and_event_twice() {
    let mut c = config();
    c.settings.webhook_duplicate_rate = 1.0;
    let (sim, rx) = subscribed(c).await;
    let conv = thread(&sim, "messenger", 0).await;
    let added = say(&sim, &conv, "twice", "customer").await;
    // The POST twice, then the event again in a later POST, which is itself sent twice.
    let items = rx.wait_items(4).await;
    assert!(items
        .iter()
        .all(|(_, _, i)| i["message"]["mid"] == added["id"]));
    let log = sim.handle.webhook_log();
    assert_eq!(log[0].body, log[1].body);
    assert!(log[1].duplicate && !log[0].duplicate);
}

/// Each thread's events in arrival order, without wall-clock times. Batching groups a POST's
/// events by thread, so only the order within a thread is fixed.
fn by_thread(items: Vec<(String, String, Value)>) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (_, entry, mut item) in items {
        let o = item.as_object_mut().unwrap();
        o.remove("timestamp");
        if let Some(r) = o.get_mut("read") {
            r.as_object_mut().unwrap().remove("watermark");
        }
        let (s, r) = (o["sender"]["id"].clone(), o["recipient"]["id"].clone());
        let customer = if s == entry.as_str() { r } else { s };
        out.entry(customer.to_string()).or_default().push(item);
    }
    out
}

#[tokio::test]
async fn live_traffic_is_deterministic_by_seed() {
    let (sim, rx) = subscribed(config()).await;
    let run = |seed: u64| {
        let (sim, rx) = (&sim, &rx);
        async move {
            sim.post("/__sim/reset", json!({})).await;
            rx.seen.posts.lock().unwrap().clear();
            let r = sim
                .post(
                    "/__sim/webhooks/traffic",
                    json!({"rate": 300, "seed": seed, "steps": 40}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let s = sim.control("/__sim/webhooks").await;
                if s["traffic"]["steps"] == 40
                    && s["pending"] == 0
                    && s["emitted"] == s["delivered"]
                {
                    break;
                }
                assert!(Instant::now() < deadline, "{s}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            by_thread(rx.items())
        }
    };
    let a = run(7).await;
    let b = run(7).await;
    let c = run(8).await;
    let events: usize = a.values().map(Vec::len).sum();
    assert!(events >= 30, "{events}");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

// Regression: the traffic task slept between reading the rate and making a change, so one more
// change came after `live_traffic: 0` was answered; and a step was counted before its change
// was made. A test that stops traffic and then syncs must see no change after the stop.
#[tokio::test]
async fn traffic_makes_no_change_once_stopped() {
    let (sim, _rx) = subscribed(config()).await;
    for _ in 0..3 {
        // 20 changes/s: between two changes the traffic task waits 50 ms.
        let r = sim
            .post("/__sim/webhooks/traffic", json!({"rate": 20, "seed": 3}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let deadline = Instant::now() + Duration::from_secs(5);
        while sim.control("/__sim/webhooks").await["traffic"]["steps"] == 0 {
            assert!(Instant::now() < deadline, "no traffic");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let r = sim.post("/__sim/config", json!({"live_traffic": 0})).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let stopped = sim.control("/__sim/webhooks").await["traffic"]["steps"].clone();
        let truth = sim.control("/__sim/truth?platform=messenger").await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let later = sim.control("/__sim/webhooks").await;
        assert_eq!(
            later["traffic"]["steps"], stopped,
            "a change after the stop"
        );
        assert_eq!(sim.control("/__sim/truth?platform=messenger").await, truth);
    }
}

#[tokio::test]
async fn webhook_settings_are_runtime_config() {
    let sim = Sim::start(config()).await;
    let r = sim
        .post(
            "/__sim/config",
            json!({"webhook_timeout_ms": 500, "webhook_duplicate_rate": 0.5}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = sim.control("/__sim/config").await;
    assert_eq!(
        (
            c["webhook_timeout_ms"].clone(),
            c["webhook_duplicate_rate"].clone()
        ),
        (json!(500), json!(0.5))
    );
    let bad = sim
        .post(
            "/__sim/config",
            json!({"webhook_timeout_ms": 9, "webhook_reorder_rate": 2}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        sim.control("/__sim/config").await["webhook_timeout_ms"],
        500,
        "all or nothing"
    );
}
