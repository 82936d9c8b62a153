//! Helpers for the sync suites: running a sync to the end, and what an inbox holds.

use std::collections::{BTreeMap, BTreeSet};

use graph_conversations::{
    Client, ConversationsOptions, MessagesOptions, Platform, SyncOptions, SyncedConversation,
    Transport,
};

use super::client;

/// conversation id → message ids, newest first.
pub type Inventory = BTreeMap<String, Vec<String>>;

pub fn options(platform: Platform) -> SyncOptions {
    SyncOptions {
        platform: Some(platform),
        ..Default::default()
    }
}

pub async fn run(
    base: &str,
    token: &str,
    page: &str,
    o: &SyncOptions,
    seed: u64,
) -> (Vec<SyncedConversation>, graph_conversations::SyncProgress) {
    drain(&client(base, token, seed), page, o).await
}

/// Runs a sync of `client` to its end.
pub async fn drain<T: Transport + Clone>(
    client: &Client<T>,
    page: &str,
    o: &SyncOptions,
) -> (Vec<SyncedConversation>, graph_conversations::SyncProgress) {
    let mut sync = client.sync_inbox(page, o).expect("valid sync options");
    let mut out = Vec::new();
    while let Some(item) = sync
        .next()
        .await
        .unwrap_or_else(|e| panic!("sync failed: {e}"))
    {
        out.push(item);
    }
    (out, sync.progress())
}

pub fn inventory(items: &[SyncedConversation]) -> Inventory {
    let mut inv = Inventory::new();
    for item in items {
        let ids: Vec<String> = item.messages.iter().map(|m| m.id.clone()).collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "a message twice in {}",
            item.conversation.id
        );
        let previous = inv.insert(item.conversation.id.clone(), ids);
        assert!(previous.is_none(), "{} yielded twice", item.conversation.id);
    }
    inv
}

/// The same inbox read the slow way, through the public list APIs.
pub async fn walk(base: &str, token: &str, page: &str, platform: Platform) -> Inventory {
    let client = client(base, token, 99);
    let mut threads = client
        .conversations(
            page,
            &ConversationsOptions {
                platform: Some(platform),
                limit: Some(50),
                ..Default::default()
            },
        )
        .unwrap();
    let mut inv = Inventory::new();
    while let Some(thread) = threads.next_item().await.unwrap() {
        let mut messages = client
            .messages(
                &thread.id,
                &MessagesOptions {
                    limit: Some(100),
                    fields: None,
                },
            )
            .unwrap();
        let mut ids = Vec::new();
        while let Some(m) = messages.next_item().await.unwrap() {
            ids.push(m.id);
        }
        inv.insert(thread.id, ids);
    }
    inv
}

/// A sync dropped after `cut` items: what it yielded, and the options that resume it from the
/// last checkpoint.
pub async fn interrupted_after<T: Transport + Clone>(
    client: &Client<T>,
    page: &str,
    o: &SyncOptions,
    cut: usize,
) -> (Vec<SyncedConversation>, SyncOptions) {
    let mut first = Vec::new();
    let mut sync = client.sync_inbox(page, o).unwrap();
    while first.len() < cut {
        first.push(sync.next().await.unwrap().unwrap());
    }
    let resume = SyncOptions {
        checkpoint: Some(first.last().unwrap().checkpoint.clone()),
        ..o.clone()
    };
    (first, resume)
}
