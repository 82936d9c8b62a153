//! The sync checkpoint: the resumable part of a sync's state, as the opaque string `syncInbox`
//! hands out with every conversation. `gcsync<version>:` and then a JSON object.
//!
//! Users store checkpoints and pass them to a later version of this library, so the format is a
//! contract: a change bumps [`CHECKPOINT_VERSION`] and keeps reading the old versions (the golden
//! test below pins version 1). A checkpoint of an unknown (newer) version, or anything that is
//! not a checkpoint, is an `invalid_argument` error, never a panic.

use serde_json::{Map, Value};

use crate::core::error::GraphApiError;
use crate::core::options::Platform;
use crate::core::sync::MAX_DETAILS;

/// The version this library writes, and the only one it reads.
pub const CHECKPOINT_VERSION: u32 = 1;
/// What every checkpoint starts with, before its version and a colon.
const TAG: &str = "gcsync";

/// Where a sync stands: enough to resume it in another run.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// The Page or Instagram account whose inbox is synced (`"page"` on the wire, as v1 wrote).
    pub account: String,
    pub platform: Platform,
    /// Unix seconds; threads updated before it are not fetched.
    pub since: Option<i64>,
    /// Messages per thread with full details, 1 to [`MAX_DETAILS`].
    pub details: u32,
    /// The cursor that starts the current list page (`None`: the first page).
    pub after: Option<String>,
    /// Threads of that page already yielded.
    pub done: Vec<String>,
    /// Newest `updated_time` seen by the run that started this sync (unix seconds).
    pub newest: Option<i64>,
    /// What the sync learned about the list request sizes Graph serves, so a resumed run does
    /// not learn it again (optional: version 1 checkpoints of earlier releases have none).
    pub size: Option<LearnedSize>,
}

/// A list request size that worked: threads and nested messages, and the smallest page that
/// failed at that nesting, if one did. Written as `"limit"`, `"nested"` and `"ceiling"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnedSize {
    pub page: u32,
    pub nested: u32,
    pub ceiling: Option<u32>,
}

/// The checkpoint string: written field by field (serde derives here would cost the wasm build
/// size, float formatting among it).
pub fn encode_checkpoint(c: &Checkpoint) -> String {
    let mut v = Map::new();
    let mut put = |key: &str, value: Value| {
        v.insert(key.to_owned(), value);
    };
    put("page", Value::from(c.account.as_str()));
    put("platform", Value::from(c.platform.as_str()));
    put("details", Value::from(c.details));
    let done = c.done.iter().map(|id| Value::from(id.as_str()));
    put("done", Value::Array(done.collect()));
    if let Some(since) = c.since {
        put("since", Value::from(since));
    }
    if let Some(newest) = c.newest {
        put("newest", Value::from(newest));
    }
    if let Some(after) = &c.after {
        put("after", Value::from(after.as_str()));
    }
    if let Some(size) = c.size {
        put("limit", Value::from(size.page));
        put("nested", Value::from(size.nested));
        if let Some(ceiling) = size.ceiling {
            put("ceiling", Value::from(ceiling));
        }
    }
    format!("{TAG}{CHECKPOINT_VERSION}:{}", Value::Object(v))
}

/// Reads a checkpoint string [`encode_checkpoint`] wrote.
pub fn decode_checkpoint(text: &str) -> Result<Checkpoint, GraphApiError> {
    let garbage = || GraphApiError::invalid_argument("checkpoint is not one syncInbox produced");
    let (version, json) = text
        .strip_prefix(TAG)
        .and_then(|rest| rest.split_once(':'))
        .ok_or_else(garbage)?;
    let version: u32 = version.parse().map_err(|_| garbage())?;
    if version != CHECKPOINT_VERSION {
        return Err(GraphApiError::invalid_argument(
            "checkpoint is of another version of graph-conversations than this one reads",
        ));
    }
    read_fields(json)
        .filter(|c| (1..=MAX_DETAILS).contains(&c.details))
        .ok_or_else(garbage)
}

/// The JSON of version 1, field by field (a serde derive would cost the wasm build size).
fn read_fields(json: &str) -> Option<Checkpoint> {
    let v: Value = serde_json::from_str(json).ok()?;
    let string = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let number = |k: &str| {
        let n = v.get(k).and_then(Value::as_u64)?;
        u32::try_from(n).ok().filter(|&n| n > 0)
    };
    let platform = match v.get("platform")?.as_str()? {
        "messenger" => Platform::Messenger,
        "instagram" => Platform::Instagram,
        _ => return None,
    };
    Some(Checkpoint {
        account: string("page")?,
        platform,
        since: v.get("since").and_then(Value::as_i64),
        details: u32::try_from(v.get("details")?.as_u64()?).ok()?,
        after: string("after"),
        done: v
            .get("done")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        newest: v.get("newest").and_then(Value::as_i64),
        // A size that is not whole is no size: a hint lost costs a few requests, a checkpoint
        // refused would cost the sync.
        size: match (number("limit"), number("nested")) {
            (Some(page), Some(nested)) => Some(LearnedSize {
                page,
                nested,
                ceiling: number("ceiling"),
            }),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    /// Written by the checkpoint code of commit 3851076, before it moved here. Every later
    /// version must read it to this state.
    const GOLDEN_V1: &str = r#"gcsync1:{"after":"QVFIUabc-_=","details":5,"done":["t_1","t_2"],"newest":1767225600,"page":"106000000000001","platform":"instagram","since":1767139200}"#;
    /// The smallest one: the first thread of a first page, no `since` yet.
    const GOLDEN_V1_MINIMAL: &str =
        r#"gcsync1:{"details":20,"done":[],"page":"me","platform":"messenger"}"#;

    fn golden_state() -> Checkpoint {
        Checkpoint {
            account: "106000000000001".into(),
            platform: Platform::Instagram,
            since: Some(1_767_139_200),
            details: 5,
            after: Some("QVFIUabc-_=".into()),
            done: vec!["t_1".into(), "t_2".into()],
            newest: Some(1_767_225_600),
            size: None,
        }
    }

    fn minimal_state() -> Checkpoint {
        Checkpoint {
            account: "me".into(),
            platform: Platform::Messenger,
            since: None,
            details: 20,
            after: None,
            done: Vec::new(),
            newest: None,
            size: None,
        }
    }

    /// The bound `SyncedConversation::checkpoint` documents, at its widest: 99 done threads of a
    /// full page of 100 with Instagram-length ids (about 80 characters; 120 here) and a long
    /// cursor (Graph's are about 100; 400 here).
    #[test]
    fn the_widest_checkpoint_stays_under_16_kb() {
        let widest = Checkpoint {
            account: "17841400000000001".into(),
            after: Some("QVFIU".repeat(80)),
            done: (0..99).map(|i| format!("aWdf{i:0>116}")).collect(),
            ..golden_state()
        };
        let encoded = encode_checkpoint(&widest);
        assert!(encoded.len() > 99 * 120, "all ids are in it");
        assert!(encoded.len() < 16 * 1024, "{} bytes", encoded.len());
    }

    #[test]
    fn a_learned_size_is_kept_and_a_malformed_one_ignored() {
        let learned = Checkpoint {
            size: Some(LearnedSize {
                page: 50,
                nested: 30,
                ceiling: Some(67),
            }),
            ..minimal_state()
        };
        let text = encode_checkpoint(&learned);
        assert!(text.contains(r#""ceiling":67,"#), "{text}");
        assert!(text.contains(r#""limit":50,"nested":30,"#), "{text}");
        assert_eq!(decode_checkpoint(&text).unwrap(), learned);
        for size in [
            r#""limit":50,"#,
            r#""limit":0,"nested":30,"#,
            r#""limit":"50","nested":30,"#,
            r#""limit":50,"nested":-1,"#,
            r#""limit":50,"nested":4294967296,"#,
        ] {
            let text = GOLDEN_V1_MINIMAL.replace(r#""done""#, &format!(r#"{size}"done""#));
            assert_eq!(decode_checkpoint(&text).unwrap(), minimal_state(), "{size}");
        }
    }

    #[test]
    fn golden_version_1_checkpoints_still_decode() {
        assert_eq!(decode_checkpoint(GOLDEN_V1).unwrap(), golden_state());
        assert_eq!(
            decode_checkpoint(GOLDEN_V1_MINIMAL).unwrap(),
            minimal_state()
        );
    }

    #[test]
    fn this_version_writes_version_1_byte_for_byte() {
        assert_eq!(encode_checkpoint(&golden_state()), GOLDEN_V1);
        assert_eq!(encode_checkpoint(&minimal_state()), GOLDEN_V1_MINIMAL);
    }

    #[test]
    fn unknown_versions_and_garbage_are_invalid_arguments() {
        let newer = GOLDEN_V1.replacen("gcsync1:", "gcsync2:", 1);
        let err = decode_checkpoint(&newer).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert!(err.message.contains("another version"), "{}", err.message);
        let json = &GOLDEN_V1["gcsync1:".len()..];
        for bad in [
            "",
            "nope",
            "gcsync",
            "gcsync1",
            "gcsync:{}",
            "gcsyncx:{}",
            "gcsync99999999999999999999:{}",
            "gcsync1:",
            "gcsync1:{",
            "gcsync1:[]",
            "gcsync1:{}",
            json,
            &GOLDEN_V1[..GOLDEN_V1.len() - 1],
            &GOLDEN_V1.replace("instagram", "whatsapp"),
            &GOLDEN_V1.replace(r#""details":5"#, r#""details":0"#),
            &GOLDEN_V1.replace(r#""details":5"#, r#""details":21"#),
            &GOLDEN_V1.replace(r#""details":5"#, r#""details":-5"#),
            &GOLDEN_V1.replace(r#""page":"106000000000001""#, r#""page":7"#),
        ] {
            let err = decode_checkpoint(bad).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument, "{bad}");
        }
    }
}
