#![cfg(not(target_arch = "wasm32"))]
//! Webhook deliveries as Meta sends them (`tests/fixtures/webhooks/`, shaped like the documented
//! samples and the drift of `shared/reference/webhooks.md` §2.2–2.4) parsed into typed events;
//! the signature and handshake battery of `WebhookReceiver`; and mutated bodies that must never
//! panic the parser or the inbox.

use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::Sha256;

use graph_conversations::{
    parse_webhook, ErrorKind, Inbox, Platform, WebhookEvent, WebhookOptions, WebhookReceiver,
};

const PAGE: &str = "104335678901234567";
const PSID: &str = "7234567890123456789";
const IG: &str = "17841470026191358";
const IGSID: &str = "1234567890123456789";

const FIXTURES: [&str; 10] = [
    "messenger_messages",
    "messenger_echoes",
    "messenger_events",
    "instagram_messages",
    "batch_3x2",
    "duplicate_mid",
    "dashboard_test",
    "unknown_events",
    "malformed_items",
    "unknown_object",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The items of a body in the order the parser reads them: per entry `messaging`, `standby`,
/// then `changes`; an entry with none of them is an item itself.
fn items_as_sent(body: &Value) -> Vec<Value> {
    let mut items = Vec::new();
    for entry in body["entry"].as_array().unwrap() {
        let lists: Vec<&Value> = ["messaging", "standby", "changes"]
            .iter()
            .filter_map(|k| entry.get(*k))
            .collect();
        if lists.is_empty() {
            items.push(entry.clone());
        }
        for list in lists {
            items.extend(list.as_array().unwrap().iter().cloned());
        }
    }
    items
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The events of a fixture, after the checks every event owes: `raw` is the item as sent, `time`
/// is `timestamp` in ISO form, and JSON serialisation round-trips.
fn parsed(name: &str) -> Vec<WebhookEvent> {
    let body = fixture(name);
    let events = parse_webhook(&body).unwrap();
    let sent = items_as_sent(&serde_json::from_slice(&body).unwrap());
    assert_eq!(events.len(), sent.len(), "{name}: one event per item");
    for (event, item) in events.iter().zip(&sent) {
        assert_eq!(&event.raw, item, "{name}: raw");
        assert_eq!(event.time, iso(event.timestamp), "{name}: {event:?}");
        let json = serde_json::to_string(event).unwrap();
        let back: WebhookEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, event, "{name}: round trip of {json}");
    }
    events
}

/// Asserts fields of an event's JSON form by pointer (`/type`, `/message/message` ...); `null`
/// asserts the field is absent.
fn has(event: &WebhookEvent, expected: &[(&str, Value)]) {
    let json = serde_json::to_value(event).unwrap();
    for (pointer, value) in expected {
        let got = json.pointer(pointer).unwrap_or(&Value::Null);
        assert_eq!(got, value, "{pointer} of {json:#}");
    }
}

/// The fields every event has.
fn head(event: &WebhookEvent, kind: &str, account: &str, user: &str, timestamp: i64) {
    has(
        event,
        &[
            ("/type", json!(kind)),
            ("/accountId", json!(account)),
            ("/userId", json!(user)),
            ("/timestamp", json!(timestamp)),
        ],
    );
}

#[test]
fn messenger_messages_and_attachments() {
    let e = parsed("messenger_messages");
    assert_eq!(e.len(), 9);
    for (i, event) in e.iter().enumerate() {
        assert_eq!(event.platform, Platform::Messenger);
        head(
            event,
            "message",
            PAGE,
            PSID,
            1767225600123 + 1000 * i as i64,
        );
        has(
            event,
            &[("/message/from/id", json!(PSID)), ("/standby", Value::Null)],
        );
    }
    // A numeric sender id beyond 2^53 stays exact.
    has(
        &e[0],
        &[
            ("/time", json!("2026-01-01T00:00:00.123Z")),
            ("/message/id", json!("m_text")),
            ("/message/message", json!("hello, world!")),
            ("/message/created_time", json!("2026-01-01T00:00:00+0000")),
            ("/message/to/data/0/id", json!(PAGE)),
            ("/message/quick_reply/payload", json!("QR_PAYLOAD")),
        ],
    );
    has(
        &e[1],
        &[
            ("/message/reply_to/mid", json!("m_text")),
            ("/message/reply_to/is_self_reply", json!(false)),
        ],
    );
    let first = "/message/attachments/data/0";
    let image = |url: &str, sticker: bool| json!({"url": url, "render_as_sticker": sticker});
    has(
        &e[2],
        &[
            (
                &format!("{first}/image_data"),
                image("https://cdn.example/i.jpg", false),
            ),
            (&format!("{first}/type"), json!("image")),
        ],
    );
    has(
        &e[3],
        &[(
            &format!("{first}/video_data/url"),
            json!("https://cdn.example/v.mp4"),
        )],
    );
    has(
        &e[4],
        &[(
            &format!("{first}/file_url"),
            json!("https://cdn.example/a.mp4"),
        )],
    );
    has(
        &e[5],
        &[(
            &format!("{first}/file_url"),
            json!("https://cdn.example/f.pdf"),
        )],
    );
    // Old (`image` + `sticker_id`) and new (`sticker`) stickers read alike.
    for sticker in &e[6..8] {
        has(
            sticker,
            &[
                (
                    &format!("{first}/image_data"),
                    image("https://cdn.example/s.png", true),
                ),
                (
                    &format!("{first}/payload/sticker_id"),
                    json!(369239263222822u64),
                ),
            ],
        );
    }
    has(
        &e[8],
        &[
            ("/message/message", json!("see https://example.com")),
            (first, json!({"type": "fallback", "title": "Example"})),
        ],
    );
}

#[test]
fn messenger_echoes_and_standby() {
    let e = parsed("messenger_echoes");
    assert_eq!(e.len(), 4);
    // The customer is the recipient of an echo; `app_id` is text whether sent as number or not.
    head(&e[0], "echo", PAGE, PSID, 1767225620123);
    has(
        &e[0],
        &[
            ("/message/app_id", json!("1517776481860111")),
            ("/message/from/id", json!(PAGE)),
            ("/message/to/data/0/id", json!(PSID)),
            ("/message/metadata", json!("DEV_METADATA")),
            ("/message/message", json!("hi from the page")),
        ],
    );
    head(&e[1], "echo", PAGE, PSID, 1767225621123);
    has(
        &e[1],
        &[
            ("/message/app_id", json!("263902037430900")),
            (
                "/message/attachments/data/0/payload/buttons/0/payload",
                json!("YES"),
            ),
            ("/message/attachments/data/0/type", json!("template")),
        ],
    );
    head(&e[2], "echo", PAGE, PSID, 1767225630123);
    has(
        &e[2],
        &[
            ("/standby", json!(true)),
            ("/message/id", json!("qT7ywaKp_standby")),
        ],
    );
    head(&e[3], "postback", PAGE, PSID, 1767225631123);
    has(
        &e[3],
        &[
            ("/standby", json!(true)),
            ("/title", json!("Get Started")),
            ("/payload", Value::Null),
            ("/mid", Value::Null),
        ],
    );
}

#[test]
fn messenger_edits_reactions_reads_deliveries_and_the_rest() {
    let e = parsed("messenger_events");
    assert_eq!(e.len(), 10);
    head(&e[0], "edit", PAGE, PSID, 1767225640123);
    has(
        &e[0],
        &[
            ("/mid", json!("m_text")),
            ("/text", json!("hello, edited")),
            ("/numEdit", json!(1)),
        ],
    );
    has(
        &e[1],
        &[
            ("/numEdit", json!(2)),
            ("/text", json!("hello, edited twice")),
        ],
    );
    head(&e[2], "reaction", PAGE, PSID, 1767225642123);
    has(
        &e[2],
        &[
            ("/mid", json!("m_echo_num")),
            ("/action", json!("react")),
            ("/reaction", json!("smile")),
            ("/emoji", json!("😄")),
        ],
    );
    has(
        &e[3],
        &[
            ("/action", json!("unreact")),
            ("/reaction", Value::Null),
            ("/emoji", Value::Null),
        ],
    );
    head(&e[4], "read", PAGE, PSID, 1767225644123);
    has(
        &e[4],
        &[
            ("/watermark", json!(1767225621123i64)),
            ("/mid", Value::Null),
        ],
    );
    head(&e[5], "delivery", PAGE, PSID, 1767225645123);
    has(
        &e[5],
        &[
            ("/mids", json!(["m_echo_num", "m_echo_template"])),
            ("/watermark", json!(1767225621123i64)),
        ],
    );
    // No `timestamp`: the entry's time stands in.
    head(&e[6], "delivery", PAGE, PSID, 1767225650999);
    has(&e[6], &[("/mids", Value::Null)]);
    // A timestamp in seconds is read as seconds.
    head(&e[7], "referral", PAGE, PSID, 1767225647000);
    has(
        &e[7],
        &[
            ("/time", json!("2026-01-01T00:00:47.000Z")),
            ("/referral/ref", json!("summer")),
        ],
    );
    // A plugin's `user_ref` stands for the customer.
    head(&e[8], "optin", PAGE, "ref-8834", 1767225648123);
    has(
        &e[8],
        &[
            ("/optin/payload", json!("OPTIN")),
            ("/optin/title", json!("Deals")),
        ],
    );
    head(&e[9], "handover", PAGE, PSID, 1767225649123);
    has(&e[9], &[("/action", json!("pass_thread_control"))]);
}

#[test]
fn instagram_events() {
    let e = parsed("instagram_messages");
    assert_eq!(e.len(), 18);
    let kinds = [
        "message", "message", "message", "message", "message", "message", "message", "unsend",
        "message", "message", "message", "echo", "message", "reaction", "reaction", "read",
        "postback", "referral",
    ];
    for (i, (event, kind)) in e.iter().zip(kinds).enumerate() {
        assert_eq!(event.platform, Platform::Instagram);
        let user = if i == 12 { IG } else { IGSID };
        head(event, kind, IG, user, 1767225700123 + 1000 * i as i64);
    }
    has(
        &e[0],
        &[
            ("/message/message", json!("café 😀")),
            ("/message/from/id", json!(IGSID)),
        ],
    );
    has(
        &e[1],
        &[
            (
                "/message/shares/data/0/link",
                json!("https://www.instagram.com/p/Cx/"),
            ),
            ("/message/attachments", Value::Null),
        ],
    );
    has(
        &e[2],
        &[(
            "/message/story/mention",
            json!({"link": "https://lookaside.example/story", "id": "18000000000000001"}),
        )],
    );
    has(
        &e[3],
        &[
            (
                "/message/story/reply_to",
                json!({"link": "https://lookaside.example/s2", "id": "18000000000000002"}),
            ),
            ("/message/reply_to", Value::Null),
            ("/message/message", json!("nice story")),
        ],
    );
    has(
        &e[4],
        &[(
            "/message/attachments/data/0/video_data/url",
            json!("https://lookaside.example/reel.mp4"),
        )],
    );
    // Attachments without a payload are kept as sent.
    has(
        &e[5],
        &[("/message/attachments/data/0", json!({"type": "ephemeral"}))],
    );
    has(
        &e[6],
        &[("/message/attachments/data/0", json!({"type": "like_heart"}))],
    );
    has(&e[7], &[("/mid", json!("aWdf_text"))]);
    has(&e[8], &[("/message/is_unsupported", json!(true))]);
    has(
        &e[9],
        &[
            ("/message/referral/ad_id", json!("120200000000000001")),
            ("/message/referral/ads_context_data/ad_title", json!("Sale")),
            ("/message/message", json!("Is this available?")),
        ],
    );
    has(
        &e[10],
        &[("/message/referral/product/id", json!("9876543210123456789"))],
    );
    // An echo names the account as sender; the customer is the recipient.
    has(
        &e[11],
        &[
            ("/message/from/id", json!(IG)),
            ("/message/to/data/0/id", json!(IGSID)),
        ],
    );
    // Self-messaging: the account is its own customer, and it is a message, not an echo.
    has(&e[12], &[("/message/message", json!("preview"))]);
    has(
        &e[13],
        &[
            ("/reaction", json!("laugh")),
            ("/emoji", json!("😂")),
            ("/mid", json!("aWdf_echo")),
        ],
    );
    has(&e[14], &[("/action", json!("unreact"))]);
    has(
        &e[15],
        &[("/mid", json!("aWdf_echo")), ("/watermark", Value::Null)],
    );
    has(
        &e[16],
        &[
            ("/mid", json!("aWdf_postback")),
            ("/payload", json!("IB_1")),
            ("/title", json!("Ice breaker")),
        ],
    );
    has(&e[17], &[("/referral/source", json!("ig.me"))]);
}

#[test]
fn envelopes_batches_duplicates_and_test_events() {
    let e = parsed("batch_3x2");
    let heads: Vec<(String, String, String)> = e
        .iter()
        .map(|e| {
            let json = serde_json::to_value(e).unwrap();
            (
                json["type"].as_str().unwrap().into(),
                e.account_id.clone(),
                e.user_id.clone(),
            )
        })
        .collect();
    let other = "204335678901234567";
    let row = |t: &str, a: &str, u: &str| (t.to_owned(), a.to_owned(), u.to_owned());
    assert_eq!(
        heads,
        [
            row("message", PAGE, PSID),
            row("message", PAGE, "7234567890123456790"),
            row("message", other, "7234567890123456791"),
            row("echo", other, "7234567890123456791"),
            row("read", PAGE, PSID),
            row("reaction", PAGE, PSID),
        ]
    );

    // The parser keeps both copies of a mid; deduplication is the inbox's.
    let e = parsed("duplicate_mid");
    assert_eq!(e.len(), 2);
    assert_eq!(e[0], e[1]);
    let mut inbox = Inbox::new();
    inbox.apply_events(&e);
    let threads = inbox.threads();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].messages.len(), 1);

    // Dashboard test: `changes[].value`, string seconds, flagged `test`; `raw` is the change.
    let e = parsed("dashboard_test");
    assert_eq!(e.len(), 2);
    head(&e[0], "message", "0", "12334", 1527459824000);
    has(
        &e[0],
        &[
            ("/test", json!(true)),
            ("/message/message", json!("random_text")),
            ("/raw/field", json!("messages")),
        ],
    );
    // A change that is not a messaging item is unknown, at the entry's time (seconds).
    head(&e[1], "unknown", "0", "", 1527459824000);
    inbox = Inbox::new();
    inbox.apply_events(&e);
    assert!(inbox.threads().is_empty(), "test events change no inbox");
}

#[test]
fn unknown_and_malformed_items_never_fail_the_batch() {
    let e = parsed("unknown_events");
    head(&e[0], "unknown", PAGE, PSID, 1767226000123);
    head(&e[1], "unknown", PAGE, PSID, 1767226001123);
    has(&e[0], &[("/raw/policy_enforcement/action", json!("block"))]);

    let e = parsed("malformed_items");
    assert_eq!(e.len(), 4);
    head(&e[0], "unknown", PAGE, PSID, 1767226100123);
    head(&e[1], "unknown", PAGE, PSID, 1767226101123);
    // A bare number: no customer, the entry's time.
    head(&e[2], "unknown", PAGE, "", 1767226100999);
    head(&e[3], "message", PAGE, PSID, 1767226103123);
    has(&e[3], &[("/message/message", json!("still here"))]);

    // A `messaging` that is not a list: the entry is unknown and its raw keeps the key.
    let body = br#"{"object":"page","entry":[{"id":"1","time":1767226100999,"messaging":"x"}]}"#;
    let e = parse_webhook(body).unwrap();
    head(&e[0], "unknown", "1", "", 1767226100999);
    has(&e[0], &[("/raw/messaging", json!("x"))]);

    let e = parsed("unknown_object");
    assert_eq!(e.len(), 1);
    head(&e[0], "unknown", "44444444", "", 1767226200000);
}

#[test]
fn invalid_envelopes_are_invalid_payload() {
    let bodies: [&[u8]; 8] = [
        b"",
        b"not json",
        b"{\"object\":\"page\",\"entry\":[}",
        b"[]",
        b"\"page\"",
        b"{\"entry\":[]}",
        b"{\"object\":\"page\"}",
        b"{\"object\":\"page\",\"entry\":{}}",
    ];
    for body in bodies {
        let error = parse_webhook(body).unwrap_err();
        assert_eq!(
            error.kind,
            ErrorKind::InvalidPayload,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    // The smallest valid envelope has no events.
    assert!(parse_webhook(br#"{"object":"page","entry":[]}"#)
        .unwrap()
        .is_empty());
}

// ---------------------------------------------------------------------------------------------
// Signatures and the handshake.

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn receiver(secret: &str, more: &[&str], max: Option<usize>) -> WebhookReceiver {
    WebhookReceiver::new(WebhookOptions {
        app_secret: secret.into(),
        additional_secrets: more.iter().map(|s| (*s).into()).collect(),
        verify_token: Some("VERIFY".into()),
        max_body_bytes: max,
    })
    .unwrap()
}

/// A body as Meta writes it: non-ASCII as `\u00e9` escapes and `/` as `\/`.
const ESCAPED: &[u8] = br#"{"object":"page","entry":[{"id":"1","time":1767225600123,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1767225600123,"message":{"mid":"m_1","text":"caf\u00e9 https:\/\/x.example\/"}}]}]}"#;

#[test]
fn signatures_verify_over_the_exact_bytes() {
    let r = receiver("SECRET", &["ROTATED", "IG-APP"], None);
    let raw_utf8 = "{\"object\":\"instagram\",\"entry\":[{\"id\":\"1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},\"timestamp\":1767225600123,\"message\":{\"mid\":\"m\",\"text\":\"é 😀 \\/\"}}]}]}";
    for body in [ESCAPED, raw_utf8.as_bytes()] {
        let good = sign("SECRET", body);
        assert_eq!(r.verify(body, Some(&good)), Some(0));
        assert_eq!(r.receive(body, Some(&good)).unwrap().len(), 1);
        // Uppercase hex is the same digest.
        let upper = format!("sha256={}", good["sha256=".len()..].to_uppercase());
        assert_eq!(r.verify(body, Some(&upper)), Some(0));
        // Additional secrets report their index.
        assert_eq!(r.verify(body, Some(&sign("IG-APP", body))), Some(2));
        assert_eq!(r.verify(body, Some(&sign("ROTATED", body))), Some(1));
        let refused = |signature: Option<&str>| {
            assert_eq!(r.verify(body, signature), None, "{signature:?}");
            let error = r.receive(body, signature).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidSignature, "{signature:?}");
        };
        refused(None);
        refused(Some(&sign("WRONG", body)));
        refused(Some(&good[..good.len() - 2]));
        refused(Some(&good.replace("sha256=", "sha1=")));
        refused(Some(&good.replace("sha256=", "")));
        refused(Some(""));
        // X-Hub-Signature (SHA-1, 40 hex digits) in place of the SHA-256 header.
        refused(Some(&format!("sha1={}", &good["sha256=".len()..][..40])));
    }
    // Re-serialised or re-encoded JSON is other bytes: the signature of the original fails.
    let good = sign("SECRET", ESCAPED);
    let value: Value = serde_json::from_slice(ESCAPED).unwrap();
    let reserialised = serde_json::to_vec(&value).unwrap();
    assert_ne!(reserialised, ESCAPED);
    assert_eq!(r.verify(&reserialised, Some(&good)), None);
    let decoded = String::from_utf8(ESCAPED.to_vec())
        .unwrap()
        .replace("\\u00e9", "é")
        .replace("\\/", "/");
    assert_eq!(r.verify(decoded.as_bytes(), Some(&good)), None);
    // An empty body is signed like any other, and then is not Meta's envelope.
    assert_eq!(r.verify(b"", Some(&sign("SECRET", b""))), Some(0));
    let error = r.receive(b"", Some(&sign("SECRET", b""))).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidPayload);
}

#[test]
fn oversized_bodies_and_empty_secrets_are_refused() {
    let small = receiver("SECRET", &[], Some(ESCAPED.len()));
    let good = sign("SECRET", ESCAPED);
    assert!(
        small.receive(ESCAPED, Some(&good)).is_ok(),
        "the cap itself is allowed"
    );
    let mut big = ESCAPED.to_vec();
    big.push(b' ');
    // Over the cap: invalid_payload even with a wrong signature (the size is checked first).
    for signature in [sign("SECRET", &big), "sha256=00".into()] {
        let error = small.receive(&big, Some(&signature)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidPayload, "{signature}");
    }
    let default = receiver("SECRET", &[], None);
    let mut mib = br#"{"object":"page","entry":[]}"#.to_vec();
    mib.resize(graph_conversations::DEFAULT_MAX_BODY_BYTES, b' ');
    assert_eq!(
        default.receive(&mib, Some(&sign("SECRET", &mib))).unwrap(),
        []
    );
    mib.push(b' ');
    let error = default
        .receive(&mib, Some(&sign("SECRET", &mib)))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidPayload);

    for (secret, more) in [("", vec![]), ("SECRET", vec![""])] {
        let error = WebhookReceiver::new(WebhookOptions {
            app_secret: secret.into(),
            additional_secrets: more.into_iter().map(Into::into).collect(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
    }
}

#[test]
fn handshake() {
    let r = receiver("SECRET", &[], None);
    let sub = Some("subscribe");
    assert_eq!(
        r.handshake(sub, Some("VERIFY"), Some("1158201444")),
        Some("1158201444")
    );
    assert_eq!(
        r.handshake(sub, Some("VERIFY"), Some("not a number é")),
        Some("not a number é")
    );
    assert_eq!(r.handshake(sub, Some("VERIFy"), Some("1")), None);
    assert_eq!(r.handshake(sub, Some("VERIFY-LONGER"), Some("1")), None);
    assert_eq!(r.handshake(sub, None, Some("1")), None);
    assert_eq!(
        r.handshake(Some("unsubscribe"), Some("VERIFY"), Some("1")),
        None
    );
    assert_eq!(r.handshake(None, Some("VERIFY"), Some("1")), None);
    assert_eq!(r.handshake(sub, Some("VERIFY"), None), None);
    let tokenless = WebhookReceiver::new(WebhookOptions {
        app_secret: "SECRET".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(tokenless.handshake(sub, Some(""), Some("1")), None);
    assert_eq!(tokenless.handshake(sub, Some("VERIFY"), Some("1")), None);
}

// ---------------------------------------------------------------------------------------------
// Mutated bodies: never a panic, in the parser or in the inbox.

/// One damage to a fixture body.
#[derive(Debug, Clone)]
enum Mutation {
    /// Flip bits of the byte at this index (mod the length).
    Flip(usize, u8),
    /// Keep only this many bytes (mod the length).
    Truncate(usize),
    /// Replace the n-th JSON value (in document order) by another type or form.
    Swap(usize, u8),
    /// Delete the n-th object member.
    Delete(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(i, x)| Mutation::Flip(i, x)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Mutation::Swap(i, k)),
        any::<usize>().prop_map(Mutation::Delete),
    ]
}

/// Another value in place of `v`: numbers and strings traded, other types, huge and odd values.
fn swapped(v: &Value, kind: u8) -> Value {
    match kind % 8 {
        0 => match v {
            Value::Number(n) => Value::String(n.to_string()),
            Value::String(s) => s.parse::<i64>().map_or(json!(-1), Value::from),
            other => Value::String(other.to_string()),
        },
        1 => Value::Null,
        2 => json!([v]),
        3 => json!({"id": v}),
        4 => json!(u64::MAX),
        5 => json!(-1.5e300),
        6 => json!(""),
        _ => json!(true),
    }
}

/// Visits every value (`members` false) or object member (`members` true) in document order,
/// calling `f` on the `n`-th; `n` counts down.
fn at_nth(
    v: &mut Value,
    n: &mut usize,
    members: bool,
    f: &mut dyn FnMut(&mut Value, Option<&str>),
) {
    match v {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if members && *n == 0 {
                    f(v, Some(&key));
                    *n = usize::MAX;
                    return;
                }
                *n = n.saturating_sub(usize::from(members));
                if let Some(child) = v.get_mut(&key) {
                    at_nth(child, n, members, f);
                }
                if *n == usize::MAX {
                    return;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                at_nth(item, n, members, f);
                if *n == usize::MAX {
                    return;
                }
            }
        }
        _ => {}
    }
    if !members {
        if *n == 0 {
            f(v, None);
            *n = usize::MAX;
        } else if *n != usize::MAX {
            *n -= 1;
        }
    }
}

fn mutate(body: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = body.to_vec();
    for m in mutations {
        match *m {
            Mutation::Flip(i, x) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes[i] ^= x;
            }
            Mutation::Truncate(n) => bytes.truncate(n % (bytes.len() + 1)),
            Mutation::Swap(i, kind) => {
                let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
                    continue;
                };
                let mut n = i % 64;
                at_nth(&mut value, &mut n, false, &mut |v, _| *v = swapped(v, kind));
                bytes = serde_json::to_vec(&value).unwrap();
            }
            Mutation::Delete(i) => {
                let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
                    continue;
                };
                let mut n = i % 64;
                at_nth(&mut value, &mut n, true, &mut |v, key| {
                    if let (Value::Object(map), Some(key)) = (v, key) {
                        map.remove(key);
                    }
                });
                bytes = serde_json::to_vec(&value).unwrap();
            }
            Mutation::Flip(..) => {}
        }
    }
    bytes
}

fn fuzz_config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn mutated_bodies_never_panic(
        fixture_index in 0..FIXTURES.len(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let body = mutate(&fixture(FIXTURES[fixture_index]), &mutations);
        let Ok(events) = parse_webhook(&body) else {
            return Ok(());
        };
        // Each event keeps an item of the body it came from.
        let sent: Value = serde_json::from_slice(&body).unwrap();
        let text = sent.to_string();
        for event in &events {
            prop_assert!(text.contains(&event.raw.to_string()), "{:?}", event.raw);
            let back: WebhookEvent =
                serde_json::from_str(&serde_json::to_string(event).unwrap()).unwrap();
            prop_assert_eq!(&back, event);
        }
        let mut inbox = Inbox::new();
        inbox.apply_events(&events);
        inbox.apply_events(events.iter().rev());
        let _ = (inbox.threads(), inbox.since());
    }
}
