#![cfg(not(target_arch = "wasm32"))]
//! The Rust client against graph-sim: every operation on both platforms and both host forms,
//! typed results, typed errors.

mod common;

use common::*;
use graph_conversations::{
    ConversationsOptions, ErrorKind, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions, Platform,
};

async fn every_operation(token: &str, page: &str, platform: Platform) {
    let sim = sim(|c| c.seed = 9).await;
    let base = sim.base_url();
    let client = client(&base, token, 1);
    let fields = Some(vec![
        "participants".to_owned(),
        "message_count".to_owned(),
        "messages.limit(3){message,from}".to_owned(),
    ]);
    let page_1 = client
        .list_conversations(
            page,
            &ListConversationsOptions {
                platform: Some(platform),
                limit: Some(4),
                fields,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page_1.data.len(), 4);
    let first = &page_1.data[0];
    assert!(first.updated_time.ends_with("+0000"));
    let nested = first.messages.as_ref().unwrap();
    assert!(!nested.data.is_empty() && nested.data.len() <= 3);
    let customer = first
        .participants
        .as_ref()
        .unwrap()
        .data
        .iter()
        .find(|p| p.id != PAGE_ID && p.id != IG_ID)
        .unwrap()
        .clone();
    match platform {
        Platform::Messenger => assert!(customer.name.is_some()),
        Platform::Instagram => assert!(customer.username.is_some()),
    }

    let find = |user_id: &str| FindConversationOptions {
        platform: Some(platform),
        user_id: user_id.to_owned(),
        fields: None,
    };
    let found = client
        .find_conversation(page, &find(&customer.id))
        .await
        .unwrap();
    assert_eq!(found.unwrap().id, first.id);
    let none = client
        .find_conversation(page, &find("99999999999999999"))
        .await
        .unwrap();
    assert!(none.is_none());

    let all = client
        .conversations(
            page,
            &ConversationsOptions {
                platform: Some(platform),
                limit: Some(7),
                ..Default::default()
            },
        )
        .unwrap()
        .collect(10_000)
        .await
        .unwrap();
    let platform_name = match platform {
        Platform::Messenger => "messenger",
        Platform::Instagram => "instagram",
    };
    let owner = if page == "me" && token == IG_TOKEN {
        IG_ID
    } else {
        PAGE_ID
    };
    assert_eq!(all.len(), listed_threads(&base, owner, platform_name).await);

    let conversation = client
        .get_conversation(&first.id, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(conversation.id, first.id);
    let listed = client
        .list_messages(
            &first.id,
            &ListMessagesOptions {
                limit: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!listed.data.is_empty());
    let messages = client
        .messages(
            &first.id,
            &MessagesOptions {
                limit: Some(5),
                fields: None,
            },
        )
        .unwrap()
        .collect(1_000)
        .await
        .unwrap();
    assert_eq!(
        messages.len() as i64,
        first.message_count.unwrap_or(messages.len() as i64)
    );
    let detail = client
        .get_message(&messages[0].id, &GetOptions::default())
        .await
        .unwrap();
    assert!(detail.from.is_some() && detail.to.is_some());
    if messages.len() > 20 {
        let err = client
            .get_message(&messages[20].id, &GetOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::MessageUnavailable);
        assert_eq!(err.code, Some(9000001));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn messenger_page() {
    every_operation(PAGE_TOKEN, PAGE_ID, Platform::Messenger).await;
}

#[tokio::test(flavor = "current_thread")]
async fn instagram_through_the_page() {
    every_operation(PAGE_TOKEN, "me", Platform::Instagram).await;
}

#[tokio::test(flavor = "current_thread")]
async fn instagram_login_form() {
    every_operation(IG_TOKEN, "me", Platform::Instagram).await;
}

#[tokio::test(flavor = "current_thread")]
async fn errors_are_typed_and_carry_no_token() {
    let sim = sim(|_| {}).await;
    let wrong = client(&sim.base_url(), "not-a-real-token", 1);
    let o = ListConversationsOptions {
        platform: Some(Platform::Messenger),
        ..Default::default()
    };
    let err = wrong.list_conversations("me", &o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert_eq!(err.code, Some(190));
    assert!(!err.message.contains("not-a-real-token"));

    let page = client(&sim.base_url(), PAGE_TOKEN, 1);
    let err = page.list_conversations(IG_ID, &o).await.unwrap_err();
    assert_eq!(
        (err.kind, err.code, err.subcode),
        (ErrorKind::NotFound, Some(100), Some(33))
    );
    let unknown = page
        .get_conversation("t_doesnotexist", &GetOptions::default())
        .await;
    assert_eq!(unknown.unwrap_err().kind, ErrorKind::NotFound);

    let refused = client("http://127.0.0.1:9", PAGE_TOKEN, 1);
    let err = refused.list_conversations("me", &o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
}

/// The native transport as a Rust service would use it: real time, pacing on, a timeout.
#[tokio::test(flavor = "current_thread")]
async fn reqwest_transport_in_real_time() {
    use graph_conversations::{Client, ClientOptions, ReqwestTransport};

    let sim = sim(|c| c.settings.faults.slow_ms = 2_000).await;
    let options = ClientOptions {
        access_token: PAGE_TOKEN.into(),
        base_url: Some(sim.base_url()),
        requests_per_second: Some(50.0),
        timeout_ms: Some(300.0),
        max_retries: Some(0),
        ..Default::default()
    };
    let client = Client::new(options, ReqwestTransport::default()).unwrap();
    let o = ListConversationsOptions {
        platform: Some(Platform::Instagram),
        limit: Some(3),
        ..Default::default()
    };
    let page = client.list_conversations("me", &o).await.unwrap();
    assert_eq!(page.data.len(), 3);
    control(&sim.base_url(), "config", r#"{"faults":{"slow":1}}"#).await;
    let err = client.list_conversations("me", &o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout);
    assert!(err.is_transient);

    // A sync item's `read_at` is wall-clock unix ms (the merged inbox compares it with webhook
    // timestamps), not the transport's monotonic clock.
    control(&sim.base_url(), "config", r#"{"faults":{"slow":0}}"#).await;
    let unix_ms = || {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.unwrap().as_millis() as i64
    };
    let before = unix_ms();
    let sync_options = graph_conversations::SyncOptions {
        platform: Some(Platform::Instagram),
        ..Default::default()
    };
    let mut sync = client.sync_inbox("me", &sync_options).unwrap();
    let item = sync.next().await.unwrap().expect("one synced conversation");
    assert!(
        (before..=unix_ms()).contains(&item.read_at),
        "read_at {}",
        item.read_at
    );
}

/// No public type that holds the token (or the app secret proof) prints it, whichever way it is
/// formatted: `{:?}` and `{:#?}` are what `println!` and `tracing::debug!(?x)` use.
#[test]
fn no_public_type_prints_the_token() {
    use graph_conversations::{
        app_secret_proof, Client, ClientOptions, ReqwestTransport, Secret, SyncOptions,
    };

    const TOKEN: &str = "EAAG-distinctive-token-4711";
    let proof = app_secret_proof(TOKEN, "app-secret-0815", 1_700_000_000);
    let options = ClientOptions {
        access_token: TOKEN.into(),
        app_secret_proof: Some(proof.clone()),
        base_url: Some("http://127.0.0.1:9".to_owned()),
        ..Default::default()
    };
    let client = Client::new(options.clone(), ReqwestTransport::default()).unwrap();
    let conversations = client
        .conversations(
            "me",
            &ConversationsOptions {
                platform: Some(Platform::Messenger),
                ..Default::default()
            },
        )
        .unwrap();
    let messages = client.messages("t_1", &MessagesOptions::default()).unwrap();
    let sync = client
        .sync_inbox(
            "me",
            &SyncOptions {
                platform: Some(Platform::Instagram),
                ..Default::default()
            },
        )
        .unwrap();
    let shown = [
        format!("{options:?}"),
        format!("{options:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{conversations:?}"),
        format!("{messages:#?}"),
        format!("{sync:?}"),
        format!("{proof:?}"),
        format!("{:?}", Secret::new(TOKEN)),
        format!("{}", Secret::new(TOKEN)),
    ];
    for text in shown {
        assert!(!text.contains("distinctive-token"), "token printed: {text}");
        assert!(!text.contains(&proof.proof), "proof printed: {text}");
        assert!(!text.contains("app-secret"), "secret printed: {text}");
    }
}

/// A client keeps the pace of an earlier one that stored its `next_call_at` (a Durable Object
/// evicted between alarms builds a new client): nothing goes before that time.
#[tokio::test(flavor = "current_thread")]
async fn next_call_at_carries_the_pace_to_a_new_client() {
    use graph_conversations::{Client, ClientOptions, Transport};

    let sim = sim(|_| {}).await;
    let o = ListConversationsOptions {
        platform: Some(Platform::Messenger),
        limit: Some(1),
        ..Default::default()
    };
    let first = client_with(&sim.base_url(), PAGE_TOKEN, 1, |c| {
        c.requests_per_second = Some(2.0);
    });
    first.list_conversations("me", &o).await.unwrap();
    let stored = first.next_call_at();
    let now = first.transport().now_ms();
    assert_eq!(stored, now + 500.0, "the next slot at Meta's 2 calls/s");

    let second = client_with(&sim.base_url(), PAGE_TOKEN, 2, |c| {
        c.requests_per_second = Some(2.0);
        // The test transport's wall clock is its virtual clock, which starts at the same time.
        c.next_call_at = Some(stored + 1_000_000.0 - now);
    });
    second.list_conversations("me", &o).await.unwrap();
    assert_eq!(
        second.transport().slept_ms.get(),
        500.0,
        "it waited out the stored pace"
    );
    let without = client_with(&sim.base_url(), PAGE_TOKEN, 3, |c| {
        c.requests_per_second = Some(2.0);
    });
    without.list_conversations("me", &o).await.unwrap();
    assert_eq!(without.transport().slept_ms.get(), 0.0);

    let bad = ClientOptions {
        access_token: "t".into(),
        next_call_at: Some(f64::NAN),
        ..Default::default()
    };
    let err = Client::new(bad, TestTransport::new(4))
        .err()
        .expect("rejected");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
}
