//! Properties of every decoder that reads what a server or a user sends: generated and mutated
//! input never panics, and the fast paths agree with the slow ones. 256 cases per property by
//! default (a few seconds for the file); `PROPTEST_CASES=20000` for long runs (`make fuzz`).
//!
//! Long because each decoder needs generators of its own input, valid and damaged; keeping them
//! next to their properties makes each one readable on its own.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

use crate::core::checkpoint::{decode_checkpoint, encode_checkpoint, Checkpoint, LearnedSize};
use crate::core::error::classify_error;
use crate::core::fields::{parse_fields, Field, FieldList};
use crate::core::models::{CONVERSATION, MESSAGE, PARTICIPANT};
use crate::core::options::Platform;
use crate::core::redact::{strip_in_text, strip_in_value};
use crate::core::schema::{normalize, normalize_page, Kind, Schema};
use crate::core::sync::MAX_DETAILS;
use crate::core::time::{
    format_graph_time, parse_graph_time, parse_text_ms, parse_time_ms, MILLIS_FROM,
};
use crate::core::verbatim::conforming;

/// 256 cases unless `PROPTEST_CASES` says otherwise; no regression files in the tree (a failure
/// prints its shrunk input, which belongs in a unit test next to the fix).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Graph's time range, as `format_graph_time` writes it (years 0000 to 9999).
const GRAPH_SECONDS: std::ops::RangeInclusive<i64> = -62_167_219_200..=253_402_300_799;

// ---------------------------------------------------------------------------------------------
// JSON text shaped like Graph's, generated as text so that members can repeat and escapes vary.

type Text = BoxedStrategy<String>;

fn lit(v: impl Into<Value>) -> String {
    v.into().to_string()
}

/// `text` with `/` written `\/`, as Graph writes it, when `slashes`.
fn slashed(text: String, slashes: bool) -> String {
    if slashes {
        text.replace('/', "\\/")
    } else {
        text
    }
}

/// Strings as they come: plain, URL-like, unicode, control characters, quotes and backslashes.
fn odd_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_ ]{0,12}",
        "https://graph\\.facebook\\.com/v26\\.0/[0-9]{1,5}\\?after=[A-Za-z0-9_=-]{0,8}",
        "[0-9]{1,13}",
        any::<String>(),
        "[\"\\\\/\u{0}-\u{1f}é❤️\u{2028}\u{fffd}]{0,6}",
    ]
}

/// A JSON string literal: serialised by serde, or with `\/` as Graph writes it, and in hostile
/// mode also escapes JSON parsers differ on (lone surrogates, invalid escapes, escaped digits).
fn string_text(clean: bool) -> Text {
    let good = (odd_string(), any::<bool>()).prop_map(|(s, slashes)| slashed(lit(s), slashes));
    if clean {
        return good.boxed();
    }
    prop_oneof![
        30 => good,
        1 => prop::sample::select(vec![
            r#""\ud800""#, r#""\udc00x""#, r#""\uD83D\uDE00""#, r#""\x""#, r#""\u12""#,
            r#""\u0031\u0032""#, r#""\u0000""#, r#""a\"b""#, "\"\u{7f}\"", "\"tab\there\"",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// Any JSON value, of no particular shape (keys plain: the scanner refuses escaped keys).
fn any_json() -> Text {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(lit),
        any::<i64>().prop_map(lit),
        any::<u64>().prop_map(lit),
        any::<f64>().prop_map(lit),
        string_text(true),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("[a-z_ é]{0,6}", inner), 0..4).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", lit(k)))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .boxed()
}

/// What a drifted or hostile field holds instead of its documented type.
fn drift() -> Text {
    prop_oneof![
        3 => any_json(),
        1 => any::<i64>().prop_map(|n| lit(n.to_string())),
        3 => prop::sample::select(vec![
            "null", "-0", "-0.0", "0", "1", "\"1\"", "\"true\"", "\"\"", "99999999999999999999",
            "-99999999999999999999", "9007199254740993", "18446744073709551615", "1e999", "1.5",
            "01", "1-2", "-", "tru", "nul", "[]", "{}", "[null]", "\"1657653067\"", "1657653067",
            "1657653067123", r#""\u0031\u0032""#, r#"{"error":{"code":1}}"#,
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

fn is_required(kind: &Kind) -> bool {
    matches!(kind, Kind::RequiredStr | Kind::RequiredTime)
}

/// A value of `kind`: well typed when `clean`, else sometimes drifted.
fn field_text(kind: &'static Kind, clean: bool) -> Text {
    let typed: Text = match kind {
        Kind::Str | Kind::RequiredStr => string_text(clean),
        Kind::RequiredTime => GRAPH_SECONDS
            .prop_map(|s| lit(format_graph_time(s).unwrap()))
            .boxed(),
        Kind::Int => any::<i64>().prop_map(lit).boxed(),
        Kind::Num => prop_oneof![any::<i64>().prop_map(lit), any::<f64>().prop_map(lit)]
            .prop_filter("finite", |t| t != "null")
            .boxed(),
        Kind::Bool => any::<bool>().prop_map(lit).boxed(),
        Kind::Any => any_json().prop_filter("not null", |t| t != "null").boxed(),
        Kind::Obj(schema) => object_text(schema, clean),
        Kind::Page(schema) => page_text(schema, clean),
        Kind::List(schema) => items_text(object_text(schema, clean)),
    };
    if clean {
        typed
    } else {
        // Rare, so that most bodies are well formed but for one or two fields: the scanner
        // must read that far to be fooled.
        prop_oneof![40 => typed, 1 => drift()].boxed()
    }
}

fn items_text(item: Text) -> Text {
    prop::collection::vec(item, 0..3)
        .prop_map(|items| format!("[{}]", items.join(",")))
        .boxed()
}

/// Members in any order, as `{...}`; in hostile mode one may be repeated (JSON parsers keep
/// the last).
fn members_text(members: Vec<Text>, clean: bool) -> Text {
    let repeat = if clean {
        Just(None).boxed()
    } else {
        prop::option::weighted(0.3, any::<Index>()).boxed()
    };
    (members, repeat)
        .prop_map(|(members, repeat)| {
            let mut members: Vec<String> = members.into_iter().filter(|m| !m.is_empty()).collect();
            if let Some(i) = repeat.filter(|_| !members.is_empty()) {
                members.push(members[i.index(members.len())].clone());
            }
            members
        })
        .prop_shuffle()
        .prop_map(|members| format!("{{{}}}", members.join(",")))
        .boxed()
}

/// `"name":value`, or `""` when absent.
fn member(name: &'static str, value: Text, present: f64) -> Text {
    let value = if present >= 1.0 {
        value.prop_map(Some).boxed()
    } else {
        prop::option::weighted(present, value).boxed()
    };
    value
        .prop_map(move |v| v.map_or_else(String::new, |v| format!("{}:{v}", lit(name))))
        .boxed()
}

/// Fields the schema does not know (in hostile mode also names it does, and `error`).
fn extras(clean: bool) -> Text {
    let name = if clean {
        "x_[a-z]{1,5}".boxed()
    } else {
        prop_oneof![
            10 => "x_[a-z]{1,5}",
            1 => prop_oneof![
            Just("error".to_owned()),
            Just("unparsed".to_owned()),
            Just("data".to_owned()),
            Just("paging".to_owned()),
            Just("id".to_owned()),
            odd_string(),
            ],
        ]
        .boxed()
    };
    prop::option::weighted(0.4, (name, any_json()))
        .prop_map(|m| m.map_or_else(String::new, |(k, v)| format!("{}:{v}", lit(k))))
        .boxed()
}

fn object_text(schema: &'static Schema, clean: bool) -> Text {
    let mut members: Vec<Text> = schema
        .fields
        .iter()
        .map(|f| {
            let present = match (is_required(&f.kind), clean) {
                (true, true) => 1.0,
                (true, false) => 0.9,
                (false, _) => 0.5,
            };
            member(f.name, field_text(&f.kind, clean), present)
        })
        .collect();
    members.push(extras(clean));
    members_text(members, clean)
}

/// A cursor: base64-ish, sometimes with `\/`; in hostile mode any string.
fn cursor_text(clean: bool) -> Text {
    let good = ("[A-Za-z0-9_=/-]{1,12}", any::<bool>())
        .prop_map(|(cursor, slashes)| slashed(lit(cursor), slashes));
    if clean {
        good.boxed()
    } else {
        prop_oneof![good, string_text(false)].boxed()
    }
}

/// A paging URL with credentials in its query, as Graph echoes them.
fn url_text() -> Text {
    ("[A-Za-z0-9]{10,20}", "[A-Za-z0-9_=-]{1,10}", any::<bool>())
        .prop_map(|(token, after, slashes)| {
            let url = format!(
                "https://graph.facebook.com/v26.0/1/conversations?access_token={token}&limit=25&after={after}"
            );
            slashed(lit(url), slashes)
        })
        .boxed()
}

fn paging_text(clean: bool) -> Text {
    let cursors = members_text(
        vec![
            member("before", cursor_text(clean), 0.7),
            member("after", cursor_text(clean), 0.7),
        ],
        clean,
    );
    members_text(
        vec![
            member("cursors", cursors, 0.8),
            member("next", url_text(), 0.5),
            member("previous", url_text(), 0.3),
        ],
        clean,
    )
}

fn page_text(schema: &'static Schema, clean: bool) -> Text {
    let item = if clean {
        object_text(schema, true)
    } else {
        prop_oneof![20 => object_text(schema, false), 1 => drift()].boxed()
    };
    let data = if clean {
        items_text(item)
    } else {
        prop_oneof![20 => items_text(item), 1 => drift()].boxed()
    };
    let paging = if clean {
        paging_text(true)
    } else {
        prop_oneof![20 => paging_text(false), 1 => drift()].boxed()
    };
    members_text(
        vec![
            member("data", data, if clean { 1.0 } else { 0.9 }),
            member("paging", paging, 0.6),
            extras(clean),
        ],
        clean,
    )
}

/// A response body as one operation expects it: `(schema, page, text)`.
fn body(clean: bool) -> impl Strategy<Value = (&'static Schema, bool, String)> {
    prop_oneof![
        page_text(&CONVERSATION, clean).prop_map(|t| (&CONVERSATION, true, t)),
        page_text(&MESSAGE, clean).prop_map(|t| (&MESSAGE, true, t)),
        page_text(&PARTICIPANT, clean).prop_map(|t| (&PARTICIPANT, true, t)),
        object_text(&CONVERSATION, clean).prop_map(|t| (&CONVERSATION, false, t)),
        object_text(&MESSAGE, clean).prop_map(|t| (&MESSAGE, false, t)),
    ]
}

/// Byte-level damage: truncation, inserted tokens, cut or repeated spans, a random byte.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    Truncate(Index),
    Insert(Index, &'static str),
    Delete(Index, Index),
    Repeat(Index, Index, Index),
    Byte(Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = prop::sample::select(vec![
        "",
        " ",
        "\n",
        ",",
        ":",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\\",
        "null",
        "-0",
        "1e999",
        "99999999999999999999",
        "\\u0000",
        "\\ud800",
        "\"error\":{},",
        "\"id\":\"x\",",
        "\"id\":\"x\",\"id\":\"y\",",
        "\u{feff}",
        "é",
        "\u{0}",
        "[[[[[[[[",
        "tru",
    ]);
    prop_oneof![
        4 => Just(Mutation::None),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), token).prop_map(|(i, t)| Mutation::Insert(i, t)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| Mutation::Repeat(a, b, c)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
    ]
}

fn mutate(text: &str, mutation: &Mutation) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    let at = |i: &Index, len: usize| i.index(len + 1);
    let span = |x: &Index, y: &Index, len: usize| {
        let (x, y) = (at(x, len), at(y, len));
        (x.min(y), x.max(y))
    };
    match mutation {
        Mutation::None => {}
        Mutation::Truncate(i) => b.truncate(at(i, b.len())),
        Mutation::Insert(i, t) => {
            let i = at(i, b.len());
            b.splice(i..i, t.bytes());
        }
        Mutation::Delete(x, y) => {
            let (x, y) = span(x, y, b.len());
            b.drain(x..y);
        }
        Mutation::Repeat(x, y, to) => {
            let (x, y) = span(x, y, b.len());
            let copy = b[x..y].to_vec();
            let to = at(to, b.len());
            b.splice(to..to, copy);
        }
        Mutation::Byte(i, byte) => {
            if !b.is_empty() {
                let i = i.index(b.len());
                b[i] = *byte;
            }
        }
    }
    b
}

/// What the slow path does with a body it parsed.
fn normalized(mut value: Value, schema: &Schema, page: bool) -> Value {
    if page {
        normalize_page(&mut value, schema);
    } else {
        normalize(&mut value, schema);
    }
    value
}

/// The scanner's verdict checked against the normalising path: when it accepts a body that
/// parses, normalisation leaves that body as it is, and the page summary is its `paging`.
/// Returns whether the scanner accepted.
fn scanner_agrees(body: &[u8], schema: &'static Schema, page: bool) -> Result<bool, TestCaseError> {
    let fast = conforming(body, schema, page);
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        // Not JSON: the verbatim path hands it to `JSON.parse`, which refuses it too.
        return Ok(fast.is_some());
    };
    let slow = normalized(value.clone(), schema, page);
    let Some(summary) = fast else {
        return Ok(false);
    };
    prop_assert_eq!(
        &slow,
        &value,
        "conforming, but normalisation changed {}",
        String::from_utf8_lossy(body)
    );
    if page {
        let paging = &value["paging"];
        prop_assert_eq!(summary.next.as_deref(), paging["next"].as_str());
        prop_assert_eq!(
            summary.after.as_deref(),
            paging["cursors"]["after"].as_str()
        );
    }
    Ok(true)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn well_formed_bodies_conform_and_normalise_to_themselves((schema, page, text) in body(true)) {
        prop_assert!(
            scanner_agrees(text.as_bytes(), schema, page)?,
            "a well-formed body takes the slow path: {}", text
        );
    }

    #[test]
    fn drifted_and_damaged_bodies_never_fool_the_scanner(
        (schema, page, text) in body(false),
        mutation in mutation(),
    ) {
        scanner_agrees(&mutate(&text, &mutation), schema, page)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic_either_path(bytes in prop::collection::vec(any::<u8>(), 0..256), page: bool) {
        for schema in [&CONVERSATION, &MESSAGE] {
            scanner_agrees(&bytes, schema, page)?;
        }
    }

    // --- fields -----------------------------------------------------------------------------

    #[test]
    fn any_fields_text_parses_or_is_refused(
        text in prop_oneof![any::<String>(), "[a-z_.(){},0-9 -]{0,40}"],
    ) {
        // What parses prints back to text that parses to the same fields.
        if let Ok(fields) = parse_fields(&[text]) {
            let shown = FieldList(&fields).to_string();
            prop_assert_eq!(parse_fields(&[shown]).ok(), Some(fields));
        }
    }

    #[test]
    fn generated_fields_round_trip(fields in prop::collection::vec(field(), 1..5)) {
        let shown = FieldList(&fields).to_string();
        prop_assert_eq!(parse_fields(&[shown]).ok(), Some(fields.clone()));
        let items: Vec<String> = fields.iter().map(Field::to_string).collect();
        prop_assert_eq!(parse_fields(&items).ok(), Some(fields));
    }

    // --- checkpoints ------------------------------------------------------------------------

    #[test]
    fn any_checkpoint_text_decodes_or_is_refused(
        text in prop_oneof![
            any::<String>(),
            "gcsync[0-9]{0,3}:.{0,20}",
            any_json().prop_map(|json| format!("gcsync1:{json}")),
        ],
    ) {
        let _ = decode_checkpoint(&text);
    }

    #[test]
    fn checkpoints_round_trip(checkpoint in checkpoint()) {
        let text = encode_checkpoint(&checkpoint);
        prop_assert_eq!(decode_checkpoint(&text).ok(), Some(checkpoint));
    }

    // --- time -------------------------------------------------------------------------------

    #[test]
    fn any_time_text_or_value_parses_or_is_refused(
        text in prop_oneof![any::<String>(), "[0-9T:+.Z -]{0,32}", "[0-9]{4}-[0-9]{2}-[0-9]{2}T.{0,16}"],
        value in any_json(),
        seconds: i64,
    ) {
        let ms = parse_text_ms(&text);
        prop_assert_eq!(parse_graph_time(&text), ms.map(|ms| ms.div_euclid(1000)));
        prop_assert_eq!(parse_time_ms(&Value::String(text)), ms);
        if let Ok(value) = serde_json::from_str::<Value>(&value) {
            let _ = parse_time_ms(&value);
        }
        prop_assert_eq!(format_graph_time(seconds).is_some(), GRAPH_SECONDS.contains(&seconds));
    }

    #[test]
    fn formatted_times_parse_back(seconds in GRAPH_SECONDS, form in 0..3usize) {
        let text = format_graph_time(seconds).unwrap();
        let text = match form {
            0 => text,
            1 => text.replace("+0000", "Z"),
            _ => text.replace("+0000", "+00:00"),
        };
        prop_assert_eq!(parse_text_ms(&text), Some(seconds * 1000), "{}", text);
        prop_assert_eq!(parse_graph_time(&text), Some(seconds));
    }

    #[test]
    fn unix_numbers_are_seconds_or_milliseconds_by_magnitude(n: i64, fraction in 0.0..1.0f64) {
        let expected = if n.unsigned_abs() >= MILLIS_FROM as u64 {
            Some(n)
        } else {
            Some(n * 1000)
        };
        prop_assert_eq!(parse_time_ms(&json!(n)), expected);
        if n >= 0 {
            prop_assert_eq!(parse_text_ms(&n.to_string()), expected);
        }
        // Fractional seconds, kept to the millisecond.
        let small = (n % MILLIS_FROM) as f64 + fraction;
        let ms = parse_time_ms(&json!(small)).unwrap();
        prop_assert!((ms as f64 - small * 1000.0).abs() <= 1.0, "{} -> {}", small, ms);
    }

    // --- errors -----------------------------------------------------------------------------

    #[test]
    fn any_error_response_classifies(status: u16, bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        let err = classify_error(status, &bytes, None);
        prop_assert_eq!(err.status, Some(status));
    }

    #[test]
    fn error_envelopes_never_leak_the_token(
        status: u16,
        token in "[A-Za-z0-9]{9,40}",
        fields in prop::collection::vec(
            (prop::sample::select(vec![
                "message", "code", "error_subcode", "type", "fbtrace_id", "error_user_msg",
                "is_transient", "error_user_title",
            ]), any_json(), any::<Index>(), any::<bool>()),
            0..8,
        ),
    ) {
        // Graph may echo the token anywhere in its envelope (in a message quoting the request,
        // say); the classified error, once redacted as the client does, carries it nowhere.
        let members: Vec<String> = fields
            .iter()
            .map(|(name, value, at, echo)| {
                let value = match (echo, serde_json::from_str::<Value>(value)) {
                    (true, Ok(Value::String(s))) => {
                        let mut i = at.index(s.len() + 1);
                        while !s.is_char_boundary(i) {
                            i -= 1;
                        }
                        lit(format!("{}{token}{}", &s[..i], &s[i..]))
                    }
                    (true, _) => lit(format!("token {token}")),
                    (false, _) => value.clone(),
                };
                format!("{}:{value}", lit(*name))
            })
            .collect();
        let body = format!(r#"{{"error":{{{}}}}}"#, members.join(","));
        let err = classify_error(status, body.as_bytes(), None).redact(&token);
        let shown = serde_json::to_string(&err).unwrap();
        prop_assert!(!shown.contains(&token), "{}", shown);
    }

    // --- redaction --------------------------------------------------------------------------

    #[test]
    fn the_text_cut_agrees_with_the_value_cut(
        token in "[A-Za-z0-9]{12,40}",
        proof in "[0-9a-f]{16,64}",
        urls in prop::collection::vec(secret_url(), 1..4),
        noise in any_json(),
        slashes: bool,
    ) {
        let urls: Vec<String> = urls
            .iter()
            .map(|params| params.replace("{T}", &token).replace("{P}", &proof))
            .collect();
        let noise: Value = serde_json::from_str(&noise).unwrap();
        let value = json!({"data": [{"link": urls[0]}, noise], "paging": {"next": urls[urls.len() - 1]}, "more": urls});
        let mut text = value.to_string();
        if slashes {
            text = text.replace('/', "\\/");
        }
        // Parsed from the text, as the slow path does (floats parse the same way on both sides).
        let mut slow: Value = serde_json::from_str(&text).unwrap();
        strip_in_value(&mut slow);
        let slow_text = slow.to_string();
        prop_assert!(!slow_text.contains(&token) && !slow_text.contains(&proof), "{}", slow_text);
        if let Some(fast) = strip_in_text(text.as_bytes(), &token) {
            prop_assert!(!fast.contains(&token) && !fast.contains(&proof), "{}", fast);
            let fast: Value = serde_json::from_str(&fast).unwrap();
            prop_assert_eq!(fast, slow);
        }
    }
}

/// A Graph-like URL whose query carries `{T}` and `{P}` (token and proof, filled in by the test) among other
/// parameters, in any order and letter case, with look-alike keys and a fragment sometimes.
fn secret_url() -> impl Strategy<Value = String> {
    let secret = prop_oneof![
        Just("access_token={T}"),
        Just("ACCESS_TOKEN={T}"),
        Just("Access_Token={T}"),
        Just("appsecret_proof={P}"),
        Just("APPSECRET_PROOF={P}"),
        Just("appsecret_time=1767225600"),
    ];
    let other = prop_oneof![
        Just("limit=25"),
        Just("after=QVFIUabc-_%3D"),
        Just("fields=id%2Cupdated_time"),
        Just("platform=instagram"),
        Just("xaccess_token=1"),
        Just("access_tokens=1"),
        Just("next=access_token"),
    ];
    let params = prop::collection::vec(prop_oneof![secret, other], 1..6).prop_shuffle();
    (params, prop::option::of("#[a-z]{1,4}")).prop_map(|(params, fragment)| {
        format!(
            "https://graph.facebook.com/v26.0/1/conversations?{}{}",
            params.join("&"),
            fragment.unwrap_or_default()
        )
    })
}

/// A field of the `fields` syntax, with modifiers and nested fields up to three deep.
fn field() -> impl Strategy<Value = Field> {
    let name = "[a-z_][a-z0-9_]{0,8}";
    let modifier = prop_oneof![
        (1u32..).prop_map(|n| ("limit".to_owned(), n.to_string())),
        (name, "[A-Za-z0-9_=:-]{0,6}").prop_filter("limit takes a number", |(m, _)| m != "limit"),
    ];
    let leaf = (name, prop::collection::vec(modifier, 0..3)).prop_map(|(name, modifiers)| Field {
        name,
        modifiers,
        children: None,
    });
    leaf.prop_recursive(3, 16, 4, |inner| {
        (inner.clone(), prop::collection::vec(inner, 1..4))
            .prop_map(|(field, children)| field.with_children(children))
    })
}

fn checkpoint() -> impl Strategy<Value = Checkpoint> {
    (
        any::<String>(),
        any::<bool>(),
        any::<Option<i64>>(),
        1..=MAX_DETAILS,
        any::<Option<String>>(),
        prop::collection::vec(any::<String>(), 0..4),
        any::<Option<i64>>(),
        prop::option::of((1..=u32::MAX, 1..=u32::MAX, prop::option::of(1..=u32::MAX))),
    )
        .prop_map(
            |(account, instagram, since, details, after, done, newest, size)| Checkpoint {
                account,
                platform: if instagram {
                    Platform::Instagram
                } else {
                    Platform::Messenger
                },
                since,
                details,
                after,
                done,
                newest,
                size: size.map(|(page, nested, ceiling)| LearnedSize {
                    page,
                    nested,
                    ceiling,
                }),
            },
        )
}
