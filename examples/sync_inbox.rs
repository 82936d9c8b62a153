//! Imports a whole inbox at Meta's pace (2 calls/s), printing each thread as it completes and
//! the checkpoint to resume from.
//!
//! ```sh
//! PAGE_TOKEN=... cargo run --example sync_inbox -- instagram
//! ```

use graph_conversations::{Client, ClientOptions, Platform, ReqwestTransport, SyncOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let platform = match std::env::args().nth(1).as_deref() {
        Some("instagram") => Platform::Instagram,
        _ => Platform::Messenger,
    };
    let client = Client::new(
        ClientOptions {
            access_token: std::env::var("PAGE_TOKEN").unwrap_or_default().into(),
            base_url: std::env::var("GRAPH_BASE_URL").ok(),
            ..Default::default()
        },
        ReqwestTransport::default(),
    )?;
    let mut sync = client.sync_inbox(
        "me",
        &SyncOptions {
            platform: Some(platform),
            checkpoint: std::env::var("CHECKPOINT").ok(),
            ..Default::default()
        },
    )?;
    while let Some(item) = sync.next().await? {
        println!(
            "{}  {} messages  (resume with CHECKPOINT={})",
            item.conversation.id,
            item.messages.len(),
            item.checkpoint
        );
    }
    let progress = sync.progress();
    println!(
        "{} threads, {} requests; next run: since {:?}",
        progress.conversations, progress.requests, progress.next_since
    );
    Ok(())
}
