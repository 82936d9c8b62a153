//! Every error envelope, token sources and appsecret_proof.

mod common;

use common::*;
use graph_sim::{Clock, Config};
use serde_json::json;

async fn first_thread(sim: &Sim, token: &str) -> String {
    let v = sim.get_as(token, "/me/conversations?limit=1").await.json();
    v["data"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn missing_or_wrong_tokens_answer_190_with_www_authenticate() {
    let sim = Sim::start(fast()).await;
    let url = format!("{}/v26.0/me/conversations", sim.base);
    let r = sim.fetch(&url, Auth::None).await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(
        (e["code"].as_u64(), e["type"].as_str()),
        (Some(190), Some("OAuthException"))
    );
    assert_eq!(
        e["message"],
        "An access token is required to request this resource."
    );
    assert_eq!(
        r.header("www-authenticate"),
        Some(
            r#"OAuth "Facebook Platform" "invalid_request" "An access token is required to request this resource.""#
        )
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("*"),
        "CORS on errors too"
    );

    let r = sim.fetch(&url, Auth::Bearer("nope")).await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(e["code"], 190);
    assert_eq!(
        e["message"],
        "Invalid OAuth access token - Cannot parse access token"
    );
    assert!(r
        .header("www-authenticate")
        .is_some_and(|h| h.starts_with(r#"OAuth "Facebook Platform" "invalid_token" "#)));
}

#[tokio::test]
async fn tokens_are_accepted_from_bearer_oauth_and_the_query() {
    let sim = Sim::start(fast()).await;
    let url = format!("{}/me/conversations?limit=2", sim.base);
    let bearer = sim.fetch(&url, Auth::Bearer(PAGE_TOKEN)).await;
    let oauth = sim.fetch(&url, Auth::OAuthScheme(PAGE_TOKEN)).await;
    let query = sim
        .fetch(&format!("{url}&access_token={PAGE_TOKEN}"), Auth::None)
        .await;
    for r in [&bearer, &oauth, &query] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json()["data"], bearer.json()["data"]);
    }
    let log = sim.control("/__sim/requests").await;
    let sources: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["token_source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["header", "header", "query"]);
}

#[tokio::test]
async fn another_accounts_objects_and_unknown_objects_answer_100_33() {
    let sim = Sim::start(fast()).await;
    let messenger_thread = first_thread(&sim, PAGE_TOKEN).await;
    let cases = [
        (
            IG_TOKEN,
            format!("/v26.0/{PAGE}/conversations"),
            PAGE.to_owned(),
        ),
        (
            IG_TOKEN,
            format!("/{messenger_thread}"),
            messenger_thread.clone(),
        ),
        (PAGE_TOKEN, format!("/{IG}/conversations"), IG.to_owned()),
        (
            PAGE_TOKEN,
            "/t_doesnotexist".to_owned(),
            "t_doesnotexist".to_owned(),
        ),
        (
            PAGE_TOKEN,
            "/m_AAAAAAAAAAAAAAAA".to_owned(),
            "m_AAAAAAAAAAAAAAAA".to_owned(),
        ),
        (PAGE_TOKEN, "/123".to_owned(), "123".to_owned()),
    ];
    for (token, path, id) in cases {
        let r = sim.get_as(token, &path).await;
        assert_eq!(r.status, 400, "{path}");
        let e = r.error();
        assert_eq!(e["code"], 100, "{path}");
        assert_eq!(e["error_subcode"], 33, "{path}");
        assert_eq!(e["type"], "GraphMethodException");
        let msg = e["message"].as_str().unwrap();
        assert!(
            msg.starts_with(&format!(
                "Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
            )),
            "{msg}"
        );
    }
    // The Page token reads Instagram threads of its linked account.
    let ig_thread = first_thread(&sim, IG_TOKEN).await;
    assert_eq!(sim.get(&format!("/{ig_thread}")).await.status, 200);
    let post = sim
        .post(
            &format!("/{messenger_thread}?access_token={PAGE_TOKEN}"),
            json!({}),
        )
        .await;
    assert_eq!(post.status, 400);
    assert!(post.error()["message"]
        .as_str()
        .unwrap()
        .starts_with("Unsupported post request."));
}

#[tokio::test]
async fn bad_parameters_answer_100() {
    let sim = Sim::start(fast()).await;
    for (path, message) in [
        (
            "/me/conversations?platform=whatsapp",
            "(#100) Param platform must be one of {MESSENGER, INSTAGRAM} - got \"whatsapp\"",
        ),
        (
            "/me/conversations?limit=ten",
            "(#100) Param limit must be a positive integer, got \"ten\"",
        ),
        (
            "/me/conversations?after=QVFIUbogus",
            "(#100) Param after is not a valid cursor",
        ),
        (
            "/me/conversations?folder=archive",
            "(#100) Param folder must be one of {INBOX, OTHER, PAGE_DONE, PENDING, SPAM} - got \"archive\"",
        ),
        (
            "/me/feed",
            "(#100) Tried accessing nonexisting field (feed) on node type (Page)",
        ),
    ] {
        let r = sim.get(path).await;
        assert_eq!(r.status, 400, "{path}");
        let e = r.error();
        assert_eq!((e["code"].as_u64(), e["type"].as_str()), (Some(100), Some("OAuthException")));
        assert_eq!(e["message"], message, "{path}");
    }
    let r = sim
        .get_as(IG_TOKEN, "/me/conversations?platform=messenger")
        .await;
    assert_eq!(r.error()["code"], 100);
    assert_eq!(
        sim.get("/me/conversations?platform=Messenger").await.status,
        200
    );
}

#[tokio::test]
async fn fields_syntax_errors_answer_2500_and_unknown_fields_100() {
    let sim = Sim::start(fast()).await;
    for (fields, message) in [
        ("id}", "Syntax error \"Expected end of string instead of \"}\".\" at character 2: id}"),
        ("messages{id", "Syntax error \"Expected \"}\" instead of end of string.\" at character 11: messages{id"),
        ("messages.limit(x){id}", "Syntax error \"Expected integer instead of \"x\".\" at character 15: messages.limit(x){id}"),
        ("messages.limit(5{id}", "Syntax error \"Expected \")\" instead of \"{\".\" at character 16: messages.limit(5{id}"),
    ] {
        let r = sim.get(&format!("/me/conversations?fields={}", urlencode(fields))).await;
        assert_eq!(r.status, 400, "{fields}");
        let e = r.error();
        assert_eq!((e["code"].as_u64(), e["type"].as_str()), (Some(2500), Some("OAuthException")));
        assert_eq!(e["message"], message);
    }
    for (path, message) in [
        (
            "/me/conversations?fields=id,foo",
            "(#100) Tried accessing nonexisting field (foo) on node type (UnifiedThread)",
        ),
        (
            "/me/conversations?fields=messages{id,bar}",
            "(#100) Tried accessing nonexisting field (bar) on node type (Message)",
        ),
    ] {
        let r = sim.get(path).await;
        assert_eq!(r.status, 400);
        let e = r.error();
        assert_eq!(e["code"], 100);
        assert_eq!(e["message"], message);
    }
    let r = sim.get("/me/conversations/extra/parts").await;
    assert_eq!(r.error()["code"], 2500);
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn too_much_nested_data_answers_code_1_with_http_500() {
    let mut config = fast();
    config.settings.reduce_data_threshold = 5_000;
    let sim = Sim::start(config).await;
    let r = sim
        .get("/me/conversations?limit=100&fields=messages.limit(60){id}")
        .await;
    assert_eq!(r.status, 500);
    let e = r.error();
    assert_eq!(
        (e["code"].as_u64(), e["type"].as_str()),
        (Some(1), Some("OAuthException"))
    );
    assert_eq!(
        e["message"],
        "Please reduce the amount of data you're asking for, then retry your request"
    );
    // 50 × 100 × 1 field = 5000 is exactly the threshold: allowed.
    let ok = sim
        .get("/me/conversations?limit=50&fields=messages.limit(100){id}")
        .await;
    assert_eq!(ok.status, 200);
    let r = sim
        .post("/__sim/config", json!({"reduce_data_threshold": 100}))
        .await;
    assert_eq!(r.status, 200);
    let r = sim
        .get("/me/conversations?limit=11&fields=messages.limit(10)")
        .await;
    assert_eq!(r.status, 500);
}

#[tokio::test]
async fn appsecret_proof_is_required_in_both_forms_and_expires_after_5_minutes() {
    let now_ms = graph_sim::ANCHOR * 1000;
    let clock = Clock::manual(now_ms);
    let secret = "s3cret";
    let sim = Sim::start(Config {
        app_secret: Some(secret.into()),
        clock: clock.clone(),
        ..fast()
    })
    .await;
    let base = "/v26.0/me/conversations?limit=2";

    let missing = sim.get(base).await;
    assert_eq!(missing.status, 400);
    let e = missing.error();
    assert_eq!(
        (e["code"].as_u64(), e["type"].as_str()),
        (Some(100), Some("GraphMethodException"))
    );
    assert_eq!(
        e["message"],
        "API calls from the server require an appsecret_proof argument"
    );

    let wrong = sim.get(&format!("{base}&appsecret_proof=abcd")).await;
    let e = wrong.error();
    assert_eq!(e["code"], 100);
    assert_eq!(
        e["message"],
        "Invalid appsecret_proof provided in the API argument"
    );

    let plain = graph_sim::appsecret_proof(secret, PAGE_TOKEN, None);
    let r = sim.get(&format!("{base}&appsecret_proof={plain}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // next URLs keep the proof, so following them keeps working.
    let next = r.json()["paging"]["next"].as_str().unwrap().to_owned();
    assert!(next.contains(&format!("appsecret_proof={plain}")));
    assert_eq!(sim.fetch(&next, Auth::None).await.status, 200);

    let t = graph_sim::ANCHOR;
    let timed = graph_sim::appsecret_proof(secret, PAGE_TOKEN, Some(t));
    let timed_path = format!("{base}&appsecret_proof={timed}&appsecret_time={t}");
    assert_eq!(sim.get(&timed_path).await.status, 200);
    // The proof of one token does not fit another.
    assert_eq!(sim.get_as(IG_TOKEN, &timed_path).await.status, 400);
    clock.advance(300_000);
    assert_eq!(
        sim.get(&timed_path).await.status,
        200,
        "still within 5 minutes"
    );
    clock.advance(1_000);
    let expired = sim.get(&timed_path).await;
    assert_eq!(expired.status, 400);
    assert_eq!(
        expired.error()["message"],
        "Invalid appsecret_proof provided in the API argument"
    );
}
