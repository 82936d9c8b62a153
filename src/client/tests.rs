//! The verbatim path (a normal body passed through as text) and the normalising path agree on
//! real simulator pages, for every list the JS build reads.

use super::decode::{Body, Decode};
use super::{Client, ClientOptions};
use crate::core::operations::{Operation, LIST_CONVERSATIONS, LIST_MESSAGES};
use crate::core::options::{ListConversationsOptions, ListMessagesOptions, Platform};
use crate::core::request::RequestSpec;
use crate::ReqwestTransport;

const PAGE_TOKEN: &str = "sim-page-token";

async fn both_paths<O>(client: &Client<ReqwestTransport>, op: &Operation<O>, id: &str, o: &O) {
    let spec: RequestSpec = op.request(id, o).unwrap();
    let verbatim = client
        .send(&spec, Some(op.expect()), Decode::AllowVerbatim)
        .await
        .unwrap();
    let parsed = client.fetch(&spec, op.expect()).await.unwrap();
    let Body::Verbatim(text, _) = &verbatim else {
        panic!(
            "simulator pages are normal: {} took the parsing path",
            spec.path_and_query()
        );
    };
    assert!(!text.contains(PAGE_TOKEN), "the token is cut out");
    assert_eq!(verbatim.into_value(), parsed, "{}", spec.path_and_query());
}

#[tokio::test(flavor = "current_thread")]
async fn verbatim_and_normalising_paths_agree() {
    let mut config = graph_sim::Config::default();
    config.settings.rate = 0.0;
    config.seed = 13;
    config.messages = 1..=40;
    let sim = graph_sim::spawn(config).await.expect("graph-sim starts");
    let options = ClientOptions {
        access_token: PAGE_TOKEN.into(),
        base_url: Some(sim.base_url()),
        requests_per_second: Some(0.0),
        ..Default::default()
    };
    let client = Client::new(options, ReqwestTransport::default()).unwrap();
    let fields = Some(vec![
        "participants".to_owned(),
        "snippet".to_owned(),
        "message_count".to_owned(),
        "messages.limit(25){id,created_time,from,to,message,attachments,shares,story,reactions,reply_to,is_unsupported,tags}".to_owned(),
    ]);
    for platform in [Platform::Messenger, Platform::Instagram] {
        let o = ListConversationsOptions {
            platform: Some(platform),
            limit: Some(20),
            fields: fields.clone(),
            ..Default::default()
        };
        both_paths(&client, &LIST_CONVERSATIONS, "me", &o).await;
    }
    let threads = client
        .list_conversations(
            "me",
            &ListConversationsOptions {
                platform: Some(Platform::Messenger),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let o = ListMessagesOptions {
        fields: Some(vec!["from".into(), "message".into()]),
        ..Default::default()
    };
    for t in threads.data.iter().take(5) {
        both_paths(&client, &LIST_MESSAGES, &t.id, &o).await;
    }
}
