//! `/__sim/` control endpoints, the request log, CORS, static files and the binary.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;
use graph_sim::Config;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graph-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn accounts_describe_the_fixed_conventions() {
    let sim = Sim::start(fast()).await;
    let v = sim.control("/__sim/accounts").await;
    let [page, ig] = v.as_array().unwrap().as_slice() else {
        panic!("two accounts: {v}");
    };
    assert_eq!(page["id"], "106000000000001");
    assert_eq!(page["name"], "Kitty Café");
    assert_eq!(page["token"], "sim-page-token");
    assert_eq!(page["host"], "facebook");
    assert_eq!(page["platform_inboxes"], json!(["messenger", "instagram"]));
    assert_eq!(page["threads"], 120);
    assert_eq!(ig["id"], "17841400000000001");
    assert_eq!(ig["username"], "kittycafe");
    assert_eq!(ig["token"], "sim-ig-token");
    assert_eq!(ig["host"], "instagram");
    assert_eq!(ig["platform_inboxes"], json!(["instagram"]));
    assert_eq!(ig["threads"], 80);
    assert_eq!(page["inboxes"][0]["customer_id_base"], "24000000000000000");
    assert_eq!(ig["inboxes"][0]["customer_id_base"], "17850000000000000");
}

#[tokio::test]
async fn added_messages_move_their_thread_to_the_top_until_reset() {
    let sim = Sim::start(fast()).await;
    let fields = "/me/conversations?fields=id,updated_time,message_count,snippet&limit=100";
    let before = sim.ok(fields).await["data"].as_array().unwrap().clone();
    let target = &before[42];
    let id = target["id"].as_str().unwrap();
    let count = target["message_count"].as_u64().unwrap();

    let r = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": id, "text": "Is Mochi there today? 🐈"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let added = r.json();
    assert_eq!(keys(&added), ["created_time", "id"]);

    let after = sim.ok(fields).await["data"].as_array().unwrap().clone();
    assert_eq!(after[0]["id"], id);
    assert_eq!(after[0]["message_count"], count + 1);
    assert_eq!(after[0]["snippet"], "Is Mochi there today? 🐈");
    assert_eq!(after[0]["updated_time"], added["created_time"]);
    assert!(after[0]["updated_time"].as_str() > before[0]["updated_time"].as_str());
    assert_eq!(after.len(), before.len());

    let newest = sim
        .ok(&format!("/{id}/messages?limit=1&fields=id,from,message"))
        .await;
    assert_eq!(newest["data"][0]["id"], added["id"]);
    assert_eq!(
        newest["data"][0]["from"]["id"].as_str().unwrap().len(),
        17,
        "a customer PSID"
    );

    // Two quick messages in one thread get strictly increasing times; in another thread the
    // same second may repeat, as on Graph (times stay with the wall clock under traffic).
    let again = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": id, "text": "x", "from": "business"}),
        )
        .await
        .json();
    assert!(again["created_time"].as_str() > added["created_time"].as_str());
    let elsewhere = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": before[1]["id"], "text": "x", "from": "business"}),
        )
        .await
        .json();
    assert!(elsewhere["created_time"].as_str() >= added["created_time"].as_str());

    for (body, status) in [
        (json!({"conversation_id": "t_nope", "text": "x"}), 404),
        (
            json!({"conversation_id": id, "text": "x", "from": "robot"}),
            400,
        ),
        (json!({"text": "x"}), 400),
    ] {
        assert_eq!(sim.post("/__sim/messages", body).await.status, status);
    }

    let r = sim.post("/__sim/reset", json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(sim.ok(fields).await["data"].as_array().unwrap(), &before);
    assert_eq!(
        sim.get(&format!("/{}", added["id"].as_str().unwrap()))
            .await
            .status,
        400
    );
    let stats = sim.control("/__sim/stats").await;
    assert_eq!(stats["requests"], 2, "counters restarted: {stats}");
}

#[tokio::test]
async fn stats_count_requests_by_status_and_account() {
    let sim = Sim::start(fast()).await;
    sim.get("/me").await;
    sim.get("/me/conversations").await;
    sim.get_as(IG_TOKEN, "/me").await;
    sim.get_as("bad", "/me").await;
    let s = sim.control("/__sim/stats").await;
    assert_eq!(s["requests"], 4);
    assert_eq!(s["by_status"], json!({"200": 3, "400": 1}));
    assert_eq!(s["by_account"], json!({PAGE: 2, IG: 1, "none": 1}));
    assert_eq!(s["throttled"], 0);
}

#[tokio::test]
async fn config_changes_at_runtime_and_rejects_bad_values() {
    let sim = Sim::start(fast()).await;
    let c = sim.control("/__sim/config").await;
    assert_eq!(c["max_limit"], 100);
    assert_eq!(c["faults"]["throttle_burst"], 3);
    let r = sim
        .post("/__sim/config", json!({"max_limit": 10, "buc_mode": true}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["max_limit"], 10);
    let v = sim.ok("/me/conversations?limit=50").await;
    assert_eq!(v["data"].as_array().unwrap().len(), 10);
    for bad in [
        json!({"faults": {"drop": 2.0}}),
        json!({"rate": -1}),
        json!({"max_limit": 0}),
        json!({"unknown": 1}),
        json!({"faults": {"drop": 0.5, "typo": 1}}),
    ] {
        let r = sim.post("/__sim/config", bad.clone()).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].is_string());
    }
    assert_eq!(
        sim.control("/__sim/config").await["faults"]["drop"],
        0.0,
        "all or nothing"
    );
    let missing = sim
        .fetch(&format!("{}/__sim/nothing-here", sim.base), Auth::None)
        .await;
    assert_eq!(missing.status, 404, "never handed to Graph");
}

#[tokio::test]
async fn the_request_log_names_parameters_but_never_values_or_tokens() {
    let dir = temp_dir("log");
    let file = dir.join("requests.jsonl");
    let sim = Sim::start(Config {
        log: Some(file.clone()),
        ..fast()
    })
    .await;
    let secret_path = format!(
        "/v26.0/me/conversations?platform=messenger&access_token={PAGE_TOKEN}&limit=2&fields=id"
    );
    sim.fetch(&format!("{}{secret_path}", sim.base), Auth::None)
        .await;
    sim.get_as(IG_TOKEN, "/me").await;
    sim.fetch(&format!("{}/me", sim.base), Auth::None).await;
    sim.control("/__sim/stats").await; // not a Graph request: not logged

    let log = sim.control("/__sim/requests").await;
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let e = &entries[0];
    assert_eq!(e["method"], "GET");
    assert_eq!(e["path"], "/v26.0/me/conversations");
    assert_eq!(
        e["query_keys"],
        json!(["access_token", "fields", "limit", "platform"])
    );
    assert_eq!(e["token_source"], "query");
    assert_eq!(e["status"], 200);
    assert_eq!(e["account"], PAGE);
    assert!(e["ts_ms"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(
        keys(e),
        [
            "account",
            "method",
            "path",
            "query_keys",
            "status",
            "token_source",
            "ts_ms"
        ]
    );
    assert_eq!(
        (
            entries[1]["token_source"].as_str(),
            entries[1]["account"].as_str()
        ),
        (Some("header"), Some(IG))
    );
    assert_eq!(
        (
            entries[2]["token_source"].as_str(),
            entries[2]["status"].as_u64()
        ),
        (Some("none"), Some(400))
    );
    assert!(entries[2]["account"].is_null());

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(PAGE_TOKEN) && !text.contains(IG_TOKEN));
    assert!(!log.to_string().contains(PAGE_TOKEN) && !log.to_string().contains(IG_TOKEN));
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, entries);

    let r = sim
        .http
        .delete(format!("{}/__sim/requests", sim.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sim.control("/__sim/requests").await, json!([]));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn cors_preflight_and_headers_on_every_response() {
    let sim = Sim::start(fast()).await;
    let r = sim
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v26.0/me/conversations", sim.base),
        )
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let h = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(h("access-control-allow-origin"), "*");
    assert!(h("access-control-allow-headers").contains("Authorization"));
    assert!(h("access-control-allow-headers").contains("Content-Type"));
    assert!(h("access-control-allow-methods").contains("GET"));
    let exposed = "x-app-usage, x-business-use-case-usage, x-fb-trace-id, facebook-api-version, www-authenticate";
    assert_eq!(h("access-control-expose-headers"), exposed);
    assert_eq!(
        sim.control("/__sim/requests").await,
        json!([]),
        "preflights are not Graph calls"
    );

    for r in [
        sim.get("/me").await,
        sim.get_as("bad", "/me").await,
        sim.post("/__sim/reset", json!({})).await,
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert_eq!(r.header("access-control-expose-headers"), Some(exposed));
    }
}

#[tokio::test]
async fn serves_static_files_for_the_demo_without_faults() {
    let root = temp_dir("www");
    std::fs::write(root.join("secret.txt"), "outside the web root").unwrap();
    let dir = root.join("www");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/app.js"), "export {}").unwrap();
    std::fs::write(dir.join("pkg/lib.mjs"), "export {}").unwrap();
    std::fs::write(dir.join("pkg/lib_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let mut config = Config {
        www: Some(dir.clone()),
        ..fast()
    };
    config.settings.faults.drop = 1.0;
    let sim = Sim::start(config).await;
    for (path, ct) in [
        ("/", "text/html; charset=utf-8"),
        ("/pkg/app.js", "text/javascript"),
        ("/pkg/lib.mjs", "text/javascript"),
        ("/pkg/lib_bg.wasm", "application/wasm"),
    ] {
        let r = sim.fetch(&format!("{}{path}", sim.base), Auth::None).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ct), "{path}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    // Nothing outside the folder (a raw request, since clients normalise `..` away);
    // everything else is Graph, here dropped by the fault.
    let mut tcp = tokio::net::TcpStream::connect(sim.handle.addr())
        .await
        .unwrap();
    tcp.write_all(b"GET /pkg/../../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    assert!(!String::from_utf8_lossy(&answer).contains("outside the web root"));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn the_binary_prints_its_address_first_and_documents_every_flag() {
    let exe = env!("CARGO_BIN_EXE_graph-sim");
    let help = Command::new(exe).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--port",
        "--ready-file",
        "--seed",
        "--www",
        "--log",
        "--app-secret",
        "--rate",
        "--buc-mode",
        "--max-limit",
        "--reduce-data-threshold",
        "--heavy-failure",
        "--heavy-timeout-ms",
        "--refuse-nested-details",
        "--messenger-threads",
        "--instagram-threads",
        "--messages",
        "--fault-transient",
        "--fault-throttle",
        "--fault-malformed",
        "--fault-truncated",
        "--fault-slow",
        "--slow-ms",
        "--fault-drop",
        "--webhook-url",
        "--webhook-secret",
        "--verify-token",
        "--live-traffic",
        "--webhook-batch-ms",
        "--webhook-timeout-ms",
        "--webhook-retry-base-ms",
        "--webhook-retry-max-ms",
        "--webhook-disable-after-ms",
        "--webhook-duplicate-rate",
        "--webhook-reorder-rate",
    ] {
        assert!(help.contains(flag), "--help mentions {flag}");
    }

    let ready = temp_dir("ready").join("address");
    let mut child = Command::new(exe)
        .args(["--port", "0", "--seed", "42", "--messages", "3..5"])
        .arg("--ready-file")
        .arg(&ready)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_owned);
    let body = base.as_deref().map(|b| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap()
                .get(format!("{b}/__sim/accounts"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    let base = base.unwrap_or_else(|| panic!("first line: {first:?}"));
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );
    assert!(body.unwrap().contains("sim-page-token"));
    assert_eq!(std::fs::read_to_string(&ready).unwrap(), base);

    let bad = Command::new(exe)
        .args(["--messages", "9..2"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        bad.stdout.is_empty(),
        "no address line for a bad configuration"
    );
}
