//! Reads one thread: its newest 20 messages in detail, older ones as ids (Meta keeps details
//! for the newest 20 only).
//!
//! ```sh
//! PAGE_TOKEN=... cargo run --example read_thread -- CONVERSATION_ID
//! ```

use graph_conversations::{Client, ClientOptions, ErrorKind, MessagesOptions, ReqwestTransport};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conversation_id = std::env::args().nth(1).unwrap_or_default();
    let client = Client::new(
        ClientOptions {
            access_token: std::env::var("PAGE_TOKEN").unwrap_or_default().into(),
            base_url: std::env::var("GRAPH_BASE_URL").ok(),
            ..Default::default()
        },
        ReqwestTransport::default(),
    )?;
    let ids = client
        .messages(&conversation_id, &MessagesOptions::default())?
        .collect(100)
        .await?;
    for summary in ids {
        match client.get_message(&summary.id, &Default::default()).await {
            Ok(m) => println!(
                "{}  {}: {}",
                m.created_time,
                m.from.map(|f| f.id).unwrap_or_default(),
                m.message.unwrap_or_default()
            ),
            Err(e) if e.kind == ErrorKind::MessageUnavailable => {
                println!(
                    "{}  (details not available from Meta)",
                    summary.created_time
                )
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
