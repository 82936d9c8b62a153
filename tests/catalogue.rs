#![cfg(not(target_arch = "wasm32"))]
//! The client's Graph objects (declared once in `core::models`) against graph-sim's own,
//! independent catalogue. They are kept apart on purpose: a simulator that shared the client's
//! declarations would hide the client's bugs. This test names every field one side knows and
//! the other does not, so adding a field to `Message` tells you whether the simulator can send it.

use std::collections::BTreeSet;

/// Differences on purpose, each with its reason. The test fails when one is no longer true too.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    // Paging blocks are produced by the simulator's pager, not by its object catalogue.
    ("Paging", "*", "client only"),
    ("Cursors", "*", "client only"),
    // Business templates are not in the simulator's seeded inboxes (customers cannot send them).
    ("GenericTemplate", "*", "client only"),
    ("Attachment", "generic_template", "client only"),
    // Documented media keys the simulator's media never has.
    ("ImageData", "animated_gif_preview_url", "client only"),
    ("ImageData", "animated_gif_url", "client only"),
    ("ImageData", "render_as_sticker", "client only"),
    ("VideoData", "length", "client only"),
    ("VideoData", "video_type", "client only"),
    // Conversation node fields that are not about the inbox: the client keeps them in `extra`
    // as sent rather than typing them (each typed field costs the wasm size budget).
    ("Conversation", "folder", "simulator only"),
    ("Conversation", "former_participants", "simulator only"),
    ("Conversation", "is_subscribed", "simulator only"),
    ("Conversation", "name", "simulator only"),
    ("Conversation", "scoped_thread_key", "simulator only"),
    ("Conversation", "subject", "simulator only"),
    ("Conversation", "wallpaper", "simulator only"),
];

#[test]
fn client_models_and_simulator_catalogue_know_the_same_fields() {
    let sim: Vec<(&str, BTreeSet<&str>)> = graph_sim::known_fields()
        .into_iter()
        .map(|(object, fields)| (object, fields.into_iter().collect()))
        .collect();
    let client_objects = graph_conversations::known_fields();
    let mut differences = BTreeSet::new();
    for (object, fields) in &client_objects {
        let client: BTreeSet<&str> = fields.iter().copied().collect();
        match sim.iter().find(|(name, _)| name == object) {
            None => {
                differences.insert((*object, "*", "client only"));
            }
            Some((_, sim_fields)) => {
                for field in client.difference(sim_fields) {
                    differences.insert((*object, field, "client only"));
                }
                for field in sim_fields.difference(&client) {
                    differences.insert((*object, field, "simulator only"));
                }
            }
        }
    }
    for (object, _) in &sim {
        if !client_objects.iter().any(|(name, _)| name == object) {
            differences.insert((object, "*", "simulator only"));
        }
    }
    let expected: BTreeSet<_> = KNOWN_DIFFERENCES.iter().copied().collect();
    let unexplained: Vec<_> = differences.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&differences).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "fields one side knows and the other does not: {unexplained:?}; \
         listed differences that no longer hold: {stale:?}"
    );
}
