//! Lists a Page's Messenger threads, newest first.
//!
//! ```sh
//! PAGE_TOKEN=... cargo run --example list_threads
//! # against the simulator: GRAPH_BASE_URL=http://127.0.0.1:PORT PAGE_TOKEN=sim-page-token ...
//! ```

use graph_conversations::{
    Client, ClientOptions, ConversationsOptions, Platform, ReqwestTransport,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(
        ClientOptions {
            access_token: std::env::var("PAGE_TOKEN").unwrap_or_default().into(),
            base_url: std::env::var("GRAPH_BASE_URL").ok(),
            ..Default::default()
        },
        ReqwestTransport::default(),
    )?;
    let mut threads = client.conversations(
        "me",
        &ConversationsOptions {
            platform: Some(Platform::Messenger),
            fields: Some(vec!["participants".into(), "snippet".into()]),
            ..Default::default()
        },
    )?;
    while let Some(thread) = threads.next_item().await? {
        let who: Vec<String> = thread
            .participants
            .iter()
            .flat_map(|p| &p.data)
            .filter_map(|p| p.name.clone())
            .collect();
        println!("{}  {}  {}", thread.updated_time, thread.id, who.join(", "));
    }
    Ok(())
}
