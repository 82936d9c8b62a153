//! The Rust API on wasm32 (`Client<FetchTransport>`) and the exported `ConversationsClient`
//! class, against a running graph-sim. Run by `scripts/test-wasm.sh` in Node and in headless
//! Chromium; the file is deliberately left unconfigured (no `run_in_browser`), so the runtime is
//! chosen by the runner (`WASM_BINDGEN_USE_BROWSER=1` for Chromium).
//!
//! The simulator's URL is baked in at compile time: `GRAPH_SIM_URL=http://127.0.0.1:PORT`.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use graph_conversations::{
    Client, ClientOptions, Conversation, ConversationsClient, ConversationsOptions, ErrorKind,
    FetchTransport, GetOptions, ListConversationsOptions, MessagesOptions, Platform,
};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const PAGE_ID: &str = "106000000000001";
const PAGE_TOKEN: &str = "sim-page-token";

fn sim_url() -> &'static str {
    match option_env!("GRAPH_SIM_URL") {
        Some(url) => url,
        None => {
            panic!("build with GRAPH_SIM_URL=http://127.0.0.1:PORT (scripts/test-wasm.sh does)")
        }
    }
}

fn client() -> Client<FetchTransport> {
    let options = ClientOptions {
        access_token: PAGE_TOKEN.into(),
        base_url: Some(sim_url().to_owned()),
        requests_per_second: Some(0.0),
        ..ClientOptions::default()
    };
    Client::new(options, FetchTransport::default()).expect("valid client options")
}

/// A call to the simulator's control API (`/__sim/...`), as JSON.
async fn control(method: &str, path: &str) -> Value {
    let url = format!("{}/__sim/{path}", sim_url());
    let request = match method {
        "DELETE" => gloo_net::http::Request::delete(&url),
        _ => gloo_net::http::Request::get(&url),
    };
    let response = request.send().await.expect("control API reachable");
    assert!(response.ok(), "{method} {path}: HTTP {}", response.status());
    response.json().await.expect("control API answers JSON")
}

/// How many threads the simulator lists in the Page's Messenger inbox.
async fn listed_messenger_threads() -> usize {
    let accounts = control("GET", "accounts").await;
    let inbox = accounts
        .as_array()
        .and_then(|a| a.iter().find(|a| a["id"] == PAGE_ID))
        .and_then(|a| a["inboxes"].as_array())
        .and_then(|i| i.iter().find(|i| i["platform"] == "messenger"))
        .expect("the Page's Messenger inbox in /__sim/accounts");
    inbox["listed_threads"].as_u64().expect("listed_threads") as usize
}

fn messenger(limit: i64) -> ConversationsOptions {
    ConversationsOptions {
        platform: Some(Platform::Messenger),
        limit: Some(limit),
        ..ConversationsOptions::default()
    }
}

/// The ID of the 21st newest message of a thread with more than 21 messages, and of the 20th.
async fn twentieth_and_twenty_first(client: &Client<FetchTransport>) -> (String, String) {
    let options = ConversationsOptions {
        fields: Some(vec!["message_count".to_owned()]),
        ..messenger(50)
    };
    let mut threads = client
        .conversations(PAGE_ID, &options)
        .expect("valid options");
    let mut thread: Option<Conversation> = None;
    while let Some(t) = threads.next_item().await.expect("listing threads") {
        if t.message_count.is_some_and(|n| n > 21) {
            thread = Some(t);
            break;
        }
    }
    let thread = thread.expect("a Messenger thread with more than 21 messages");
    let options = MessagesOptions {
        limit: Some(25),
        ..MessagesOptions::default()
    };
    let newest = client
        .messages(&thread.id, &options)
        .expect("valid options")
        .collect(21)
        .await
        .expect("listing messages");
    assert_eq!(newest.len(), 21, "21 messages of {}", thread.id);
    (newest[19].id.clone(), newest[20].id.clone())
}

#[wasm_bindgen_test]
async fn lists_messenger_threads() {
    let page = client()
        .list_conversations(
            PAGE_ID,
            &ListConversationsOptions {
                platform: Some(Platform::Messenger),
                limit: Some(5),
                ..ListConversationsOptions::default()
            },
        )
        .await
        .expect("a page of threads");
    assert_eq!(page.data.len(), 5, "a page of 5");
    for t in &page.data {
        assert!(t.id.starts_with("t_"), "conversation id {}", t.id);
        assert!(
            t.updated_time.len() == 24 && t.updated_time.ends_with("+0000"),
            "updated_time {}",
            t.updated_time
        );
    }
    let after = page.paging.and_then(|p| p.cursors).and_then(|c| c.after);
    assert!(after.is_some_and(|a| !a.is_empty()), "an after cursor");
}

#[wasm_bindgen_test]
async fn pages_through_every_thread_without_repeats() {
    let expected = listed_messenger_threads().await;
    let mut list = client()
        .conversations(PAGE_ID, &messenger(25))
        .expect("valid options");
    let mut pages = 0;
    let mut ids = Vec::new();
    while let Some(page) = list.next_page().await.expect("next page") {
        pages += 1;
        assert!(page.data.len() <= 25, "page {pages} respects the limit");
        ids.extend(page.data.into_iter().map(|t| t.id));
        assert!(pages <= 100, "paging ends");
    }
    assert!(pages >= 3, "at least 3 pages, got {pages}");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no thread twice");
    assert_eq!(ids.len(), expected, "every listed thread");
}

#[wasm_bindgen_test]
async fn the_21st_newest_message_is_unavailable() {
    let client = client();
    let (twentieth, twenty_first) = twentieth_and_twenty_first(&client).await;
    let detail = client
        .get_message(&twentieth, &GetOptions::default())
        .await
        .expect("the 20th newest message has details");
    assert_eq!(detail.id, twentieth);
    let err = client
        .get_message(&twenty_first, &GetOptions::default())
        .await
        .expect_err("the 21st newest message has no details");
    assert_eq!(err.kind, ErrorKind::MessageUnavailable, "{err}");
    assert_eq!(err.code, Some(9000001));
    assert_eq!(err.status, Some(400));
}

#[wasm_bindgen_test]
async fn bad_ids_are_rejected_before_any_request() {
    let client = client();
    // Tests run one at a time (wasm-bindgen-test's concurrency is 1), so the log is this test's.
    control("DELETE", "requests").await;
    for id in ["m_1/x", "m_1?fields=id", "", "..", "m 1"] {
        let err = client
            .get_message(id, &GetOptions::default())
            .await
            .expect_err("a bad message ID");
        assert_eq!(err.kind, ErrorKind::InvalidArgument, "{id:?}: {err}");
    }
    let err = client
        .list_conversations(
            "a#b",
            &ListConversationsOptions {
                platform: Some(Platform::Messenger),
                ..ListConversationsOptions::default()
            },
        )
        .await
        .expect_err("a bad Page ID");
    assert_eq!(err.kind, ErrorKind::InvalidArgument, "{err}");
    let log = control("GET", "requests").await;
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(0),
        "no request reached the simulator: {log}"
    );
}

fn js_options(entries: &[(&str, JsValue)]) -> JsValue {
    let options = js_sys::Object::new();
    for (key, value) in entries {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), value).expect("set option");
    }
    options.into()
}

fn js_client() -> ConversationsClient {
    let options = js_options(&[
        ("accessToken", PAGE_TOKEN.into()),
        ("baseUrl", sim_url().into()),
        ("requestsPerSecond", 0.into()),
    ]);
    ConversationsClient::new(options).expect("the JS class accepts these options")
}

/// The `kind` of a JS `Error` (the value a rejected promise or a throwing constructor gave).
fn error_kind(value: &JsValue) -> String {
    let error = value
        .dyn_ref::<js_sys::Error>()
        .unwrap_or_else(|| panic!("a JS Error, got {value:?}"));
    js_sys::Reflect::get(error, &JsValue::from_str("kind"))
        .ok()
        .and_then(|k| k.as_string())
        .unwrap_or_else(|| panic!("a string kind on {:?}", error.message()))
}

async fn rejection(promise: js_sys::Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(value) => panic!("expected a rejection, resolved with {value:?}"),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
async fn js_class_rejects_with_an_error_of_the_right_kind() {
    let client = js_client();
    let messenger = || js_options(&[("platform", "messenger".into()), ("limit", 3.into())]);
    let page = JsFuture::from(client.list_conversations(PAGE_ID.into(), messenger()))
        .await
        .expect("listConversations resolves");
    let data = js_sys::Reflect::get(&page, &"data".into()).expect("page.data");
    assert_eq!(js_sys::Array::from(&data).length(), 3, "a page of 3");

    let (_, twenty_first) = twentieth_and_twenty_first(&self::client()).await; // via the Rust API
    let e = rejection(client.get_message(twenty_first.into(), JsValue::UNDEFINED)).await;
    assert_eq!(error_kind(&e), "message_unavailable");
    let code = js_sys::Reflect::get(&e, &"code".into()).expect("code");
    assert_eq!(code.as_f64(), Some(9000001.0));

    let e = rejection(client.get_message("m_1/x".into(), JsValue::UNDEFINED)).await;
    assert_eq!(error_kind(&e), "invalid_argument");
    let e = rejection(client.list_conversations(
        PAGE_ID.into(),
        js_options(&[("platform", "whatsapp".into())]),
    ))
    .await;
    assert_eq!(error_kind(&e), "invalid_argument");

    let wrong = js_options(&[
        ("accessToken", "wrong-token".into()),
        ("baseUrl", sim_url().into()),
    ]);
    let wrong = ConversationsClient::new(wrong).expect("a syntactically valid token");
    let e = rejection(wrong.list_conversations(PAGE_ID.into(), messenger())).await;
    assert_eq!(error_kind(&e), "auth");

    let e = ConversationsClient::new(js_options(&[("baseUrl", sim_url().into())]))
        .err()
        .expect("the constructor throws without an accessToken");
    assert_eq!(error_kind(&e), "invalid_argument");
}

/// `value` as JSON through the engine, then through the JS option reader.
fn read_back<O: graph_conversations::__test_support::FromJs>(json: Value) -> O {
    use graph_conversations::__test_support::JsOptions;
    let object = js_sys::JSON::parse(&json.to_string()).expect("valid JSON");
    O::from_js(&JsOptions::new(&object, "options").expect("an object")).expect("readable")
}

/// Every options type, fully populated, serialised with its serde names (the names its
/// TypeScript type has) and read back by the JS reader, comes back equal: a field the reader
/// misses or misnames fails here instead of being silently ignored at run time.
#[wasm_bindgen_test]
fn the_js_option_reader_reads_every_field_of_every_options_type() {
    use graph_conversations::{
        AppSecretProof, ClientOptions, FindConversationOptions, ListMessagesOptions, SyncOptions,
        TokenTransport,
    };
    use serde::Serialize;
    use serde_json::json;

    fn round_trip<O>(full: O)
    where
        O: graph_conversations::__test_support::FromJs + Serialize + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_value(&full).unwrap();
        assert_eq!(read_back::<O>(json), full);
    }
    let fields = Some(vec![
        "participants".to_owned(),
        "messages{message}".to_owned(),
    ]);
    round_trip(ListConversationsOptions {
        platform: Some(Platform::Instagram),
        user_id: Some("24000000000000001".into()),
        folder: Some("page_done".into()),
        limit: Some(7),
        after: Some("QVFI-after".into()),
        before: Some("QVFI-before".into()),
        fields: fields.clone(),
    });
    round_trip(ConversationsOptions {
        platform: Some(Platform::Messenger),
        folder: Some("other".into()),
        limit: Some(9),
        fields: fields.clone(),
    });
    round_trip(FindConversationOptions {
        platform: Some(Platform::Messenger),
        user_id: "24000000000000002".into(),
        fields: fields.clone(),
    });
    round_trip(GetOptions {
        fields: fields.clone(),
    });
    round_trip(ListMessagesOptions {
        limit: Some(3),
        after: Some("a".into()),
        before: Some("b".into()),
        fields: fields.clone(),
    });
    round_trip(MessagesOptions {
        limit: Some(4),
        fields: fields.clone(),
    });
    round_trip(SyncOptions {
        platform: Some(Platform::Instagram),
        since: Some("2026-01-01T00:00:00+0000".into()),
        details_per_conversation: Some(5),
        concurrency: Some(3),
        checkpoint: Some("opaque".into()),
        page_size: Some(40),
        max_requests: Some(7),
    });
    round_trip(AppSecretProof {
        proof: "ab12".into(),
        time: 1_700_000_000,
    });
    // ClientOptions holds the token, so it is deliberately not Serialize: its JSON is written
    // out here with the TypeScript names.
    let read: ClientOptions = read_back(json!({
        "accessToken": "token-1", "apiVersion": "v25.0", "baseUrl": "http://127.0.0.1:1",
        "appSecretProof": {"proof": "ab12", "time": 1_700_000_000}, "maxRetries": 2,
        "requestsPerSecond": 1.5, "timeoutMs": 1000, "tokenTransport": "query",
        "nextCallAt": 1_790_000_000_500u64
    }));
    assert_eq!(
        read,
        ClientOptions {
            access_token: "token-1".into(),
            api_version: Some("v25.0".into()),
            base_url: Some("http://127.0.0.1:1".into()),
            app_secret_proof: Some(AppSecretProof {
                proof: "ab12".into(),
                time: 1_700_000_000
            }),
            max_retries: Some(2),
            requests_per_second: Some(1.5),
            timeout_ms: Some(1000.0),
            token_transport: Some(TokenTransport::Query),
            next_call_at: Some(1_790_000_000_500.0),
        }
    );
}
