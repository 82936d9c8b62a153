//! The fast path of decoding: most Graph responses are already exactly what normalisation would
//! leave them (`core::schema`), so they need no rewriting, only checking. `conforming` walks the
//! JSON once without building it, against the same schema; when it passes, the body goes to the
//! caller as it came (with the token cut out of its URLs), and JS parses it with the engine's own
//! `JSON.parse`. Anything unusual (a number as a string, a null, a missing id, an `error`) takes
//! the normalising path instead.

use crate::core::models::{CURSORS, PAGING};
use crate::core::schema::{Kind, Schema};

/// What the pager needs from a conforming list page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageSummary {
    /// `paging.next` (token still in it: for the pager only, never handed out).
    pub next: Option<String>,
    pub after: Option<String>,
}

/// `Some` when `body` is an object of `schema` that normalisation would leave unchanged (for a
/// page, `{data: [...], paging}` of such objects); the summary is filled for pages.
///
/// A small byte scanner rather than a serde visitor (see "The size budget" in ARCHITECTURE.md).
/// It answers "no" to anything it is unsure of (escaped keys, unusual escapes in captured
/// cursors), which only means the slower, normalising path runs; JSON it lets through is parsed by `JSON.parse` or serde afterwards.
pub fn conforming(body: &[u8], schema: &'static Schema, page: bool) -> Option<PageSummary> {
    let mut scan = Scanner {
        b: body,
        i: 0,
        depth: 0,
        out: PageSummary::default(),
    };
    let mode = if page {
        Mode::Page(schema, true)
    } else {
        Mode::Object(schema, true)
    };
    scan.value(mode)?;
    scan.ws();
    (scan.i == body.len()).then_some(scan.out)
}

/// Where a captured string goes.
#[derive(Clone, Copy)]
enum Slot {
    Next,
    After,
}

/// What the value at hand must be.
#[derive(Clone, Copy)]
enum Mode {
    /// A field the schema does not know: anything goes, nulls included.
    Ignore,
    Scalar(&'static Kind, Option<Slot>),
    /// An object of the schema; `true` at the top of a response (where `error` means an error
    /// envelope) and inside the walked page's `paging` (whose cursor is captured).
    Object(&'static Schema, bool),
    /// `{data: [...], paging}`; `true` for the page being walked.
    Page(&'static Schema, bool),
    /// An array of objects.
    List(&'static Schema),
}

/// The mode of a known field's value.
fn field_mode(kind: &'static Kind, key: &[u8], capture: bool) -> Mode {
    match kind {
        Kind::Obj(schema) => Mode::Object(schema, capture && key == b"cursors"),
        Kind::Page(schema) => Mode::Page(schema, false),
        Kind::List(schema) => Mode::List(schema),
        scalar => {
            let slot = match key {
                b"next" if capture => Some(Slot::Next),
                b"after" if capture => Some(Slot::After),
                _ => None,
            };
            Mode::Scalar(scalar, slot)
        }
    }
}

fn is_required(kind: &Kind) -> bool {
    matches!(kind, Kind::RequiredStr | Kind::RequiredTime)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    /// Nesting so far: hostile input must not exhaust the (small) wasm stack.
    depth: u32,
    out: PageSummary,
}

/// serde_json refuses deeper input too, so the slow path then reports `invalid_response`.
const MAX_DEPTH: u32 = 128;

impl<'a> Scanner<'a> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string's raw bytes (escapes left as they are).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        loop {
            match *self.b.get(self.i)? {
                b'"' => break,
                b'\\' => self.i += 2,
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
        let raw = self.b.get(start..self.i)?;
        self.i += 1;
        Some(raw)
    }

    /// Skips a literal or a number: `b'b'` (boolean), `b'n'` (null), `b'i'` (an integer JSON
    /// parsers keep as one), `b'f'` (any other number).
    fn atom(&mut self) -> Option<u8> {
        let start = self.i;
        while matches!(self.b.get(self.i), Some(c) if c.is_ascii_alphanumeric() || b"+-.".contains(c))
        {
            self.i += 1;
        }
        match self.b.get(start..self.i)? {
            b"true" | b"false" => Some(b'b'),
            b"null" => Some(b'n'),
            n if !n.is_empty() && n.iter().all(|c| c.is_ascii_digit() || *c == b'-') => {
                // `-0` and integers beyond 64 bits are floats to serde_json (and to JS).
                let text = std::str::from_utf8(n).ok()?;
                let whole = text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok();
                Some(if whole && text != "-0" { b'i' } else { b'f' })
            }
            n if !n.is_empty() && (n[0] == b'-' || n[0].is_ascii_digit()) => Some(b'f'),
            _ => None,
        }
    }

    fn value(&mut self, mode: Mode) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let result = self.value_at_depth(mode);
        self.depth -= 1;
        result
    }

    fn value_at_depth(&mut self, mode: Mode) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(mode),
            b'[' => {
                let item = match mode {
                    Mode::Ignore | Mode::Scalar(Kind::Any, _) => Mode::Ignore,
                    Mode::List(schema) => Mode::Object(schema, false),
                    _ => return None,
                };
                self.i += 1;
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.value(item)?;
                    if self.eat(b',').is_none() {
                        return self.eat(b']');
                    }
                }
            }
            b'"' => {
                let raw = self.string()?;
                let Mode::Scalar(kind, slot) = mode else {
                    return matches!(mode, Mode::Ignore).then_some(());
                };
                if let Some(slot) = slot {
                    // Graph writes `\/` in URLs; any other escape: let the slow path decide.
                    let text = std::str::from_utf8(raw).ok()?.replace("\\/", "/");
                    if text.contains('\\') {
                        return None;
                    }
                    match slot {
                        Slot::Next => self.out.next = Some(text),
                        Slot::After => self.out.after = Some(text),
                    }
                }
                match kind {
                    Kind::Str | Kind::RequiredStr | Kind::Any => Some(()),
                    // Digits are unix seconds, which normalisation rewrites (escaped digits
                    // too: any escape, let the slow path decide).
                    Kind::RequiredTime => {
                        (!raw.iter().all(u8::is_ascii_digit) && !raw.contains(&b'\\')).then_some(())
                    }
                    _ => None,
                }
            }
            _ => {
                let atom = self.atom()?;
                let fits = match mode {
                    Mode::Ignore => true,
                    // Nulls of known fields are dropped by normalisation: not conforming.
                    Mode::Scalar(kind, _) => matches!(
                        (kind, atom),
                        (Kind::Any, b'b' | b'i' | b'f')
                            | (Kind::Bool, b'b')
                            | (Kind::Int, b'i')
                            | (Kind::Num, b'i' | b'f')
                    ),
                    _ => false,
                };
                fits.then_some(())
            }
        }
    }

    fn object(&mut self, mode: Mode) -> Option<()> {
        self.eat(b'{')?;
        let (schema, top, capture, page) = match mode {
            Mode::Ignore | Mode::Scalar(Kind::Any, _) => (None, false, false, None),
            Mode::Object(schema, flag) => {
                // In paging, the flag means "capture"; elsewhere, "top of the response".
                let paging = std::ptr::eq(schema, &PAGING) || std::ptr::eq(schema, &CURSORS);
                (Some(schema), flag && !paging, flag && paging, None)
            }
            Mode::Page(schema, walked) => (None, false, false, Some((schema, walked))),
            _ => return None,
        };
        // Required fields not seen yet, one bit per field: a repeated key (JSON parsers keep
        // the last) must not count twice.
        let mut missing = schema.map_or(0u64, |s| {
            let required = s.fields.iter().enumerate();
            required
                .filter(|(_, f)| is_required(&f.kind))
                .fold(0, |bits, (i, _)| bits | 1 << i)
        });
        let mut data = false;
        if self.eat(b'}').is_none() {
            loop {
                let key = self.string()?;
                if key.contains(&b'\\') {
                    return None;
                }
                self.eat(b':')?;
                let field = match (schema, page) {
                    (Some(schema), _) => {
                        if top && key == b"error" {
                            return None;
                        }
                        match schema.fields.iter().position(|f| f.name.as_bytes() == key) {
                            Some(i) => {
                                missing &= !(1 << i);
                                if capture && key == b"cursors" {
                                    // A repeated `cursors`: the last one counts, as in JSON.parse.
                                    self.out.after = None;
                                }
                                field_mode(&schema.fields[i].kind, key, capture)
                            }
                            None => Mode::Ignore,
                        }
                    }
                    (None, Some((schema, walked))) => match key {
                        b"data" => {
                            data = true;
                            Mode::List(schema)
                        }
                        b"paging" => {
                            if walked {
                                // A repeated `paging`: the last one counts, as in JSON.parse.
                                self.out = PageSummary::default();
                            }
                            Mode::Object(&PAGING, walked)
                        }
                        b"error" | b"unparsed" => return None,
                        _ => Mode::Ignore,
                    },
                    (None, None) => Mode::Ignore,
                };
                self.value(field)?;
                if self.eat(b',').is_none() {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        (missing == 0 && (page.is_none() || data)).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::{CONVERSATION, MESSAGE};
    use crate::core::schema::{normalize, normalize_page};
    use serde_json::{json, Value};

    /// The fast path must agree with the normalising one: whenever `conforming` says yes,
    /// normalisation leaves the body unchanged.
    fn agrees(body: Value, page: bool) -> bool {
        let text = body.to_string();
        let fast = conforming(text.as_bytes(), &CONVERSATION, page).is_some();
        let mut slow = body.clone();
        if page {
            normalize_page(&mut slow, &CONVERSATION);
        } else {
            normalize(&mut slow, &CONVERSATION);
        }
        if fast {
            assert_eq!(
                slow, body,
                "conforming but normalisation changed it: {text}"
            );
        }
        fast
    }

    #[test]
    fn typical_pages_conform_and_odd_ones_do_not() {
        let good = json!({"data": [{"id": "t_1", "updated_time": "2026-01-01T00:00:00+0000",
            "participants": {"data": [{"id": "1", "name": "A", "email": "a@b"}]},
            "message_count": 3, "wallpaper": null, "extra": {"x": [1, null]},
            "messages": {"data": [{"id": "m", "created_time": "2026-01-01T00:00:00+0000",
                "attachments": {"data": [{"image_data": {"url": "u", "width": 1.5}}]},
                "reactions": {"data": [{"reaction": "❤️", "users": [{"id": "9"}]}]}}],
                "paging": {"cursors": {"before": "b", "after": "a"}}}}],
            "paging": {"cursors": {"before": "B", "after": "A"}, "next": "https://g/x?after=A"}});
        assert!(agrees(good.clone(), true));
        let summary = conforming(good.to_string().as_bytes(), &CONVERSATION, true).unwrap();
        assert_eq!(
            summary,
            PageSummary {
                next: Some("https://g/x?after=A".into()),
                after: Some("A".into())
            }
        );

        let odd = [
            json!({"data": [{"id": 5, "updated_time": "2026-01-01T00:00:00+0000"}]}),
            json!({"data": [{"id": "t", "updated_time": 1657653067}]}),
            json!({"data": [{"id": "t", "updated_time": "1657653067"}]}),
            json!({"data": [{"id": "t"}]}),
            json!({"data": [{"id": "t", "updated_time": "x", "snippet": null}]}),
            json!({"data": [{"id": "t", "updated_time": "x", "message_count": "3"}]}),
            json!({"data": [{"id": "t", "updated_time": "x", "participants": [{"id": "1"}]}]}),
            json!({"data": [{"id": "t", "updated_time": "x", "can_reply": 1}]}),
            json!({"data": ["t"]}),
            json!({"data": {"id": "t"}}),
            json!({"paging": {}}),
            json!({"error": {"code": 1}, "data": []}),
            json!({"data": [], "paging": {"cursors": {"after": 5}}}),
        ];
        for body in odd {
            assert!(!agrees(body.clone(), true), "{body}");
        }
        assert!(!agrees(json!({"id": "t"}), false));
        // Escapes, whitespace and unknown nested values as Graph writes them.
        let raw = br#" { "data" : [ { "id" : "t_1", "updated_time" : "2026-01-01T00:00:00+0000",
            "snippet" : "caf\u00e9 \"quoted\" \\ \/", "x" : [ 1.5e3 , -2, true, null, { "y" : [] } ] } ],
            "paging" : { "cursors" : { "after" : "QVF" }, "next" : "https:\/\/g\/x?after=QVF" } } "#;
        let summary = conforming(raw, &CONVERSATION, true).unwrap();
        assert_eq!(summary.next.as_deref(), Some("https://g/x?after=QVF"));
        let value: Value = serde_json::from_slice(raw).unwrap();
        assert!(agrees(value, true));
        let deep = format!(
            r#"{{"data": [], "x": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(
            conforming(deep.as_bytes(), &CONVERSATION, true).is_none(),
            "too deep, and no stack overflow"
        );
        for bad in [
            &br#"{"data": [{"\u0069d": "t", "updated_time": "x"}]}"#[..],
            br#"{"data": [{"id": "t", "updated_time": "x", "snippet": "a
b"}]}"#,
            br#"{"data": [{"id": "t", "updated_time": "x"}],}"#,
            br#"{"data": [{"id": "t", "updated_time": "x"} {"id": "u"}]}"#,
            br#"{"data": [], "paging": {"cursors": {"after": "A\u0041"}, "next": "n"}}"#,
            // Found by core::proptests: a repeated id once stood in for a missing updated_time
            // (and a third one overflowed the count); -0 and integers beyond 64 bits are floats
            // to JSON parsers; escaped digits are unix seconds all the same.
            br#"{"data": [{"id": "t", "id": "t"}]}"#,
            br#"{"data": [{"id": "t", "updated_time": "x", "message_count": -0}]}"#,
            br#"{"data": [{"id": "t", "updated_time": "x", "message_count": 99999999999999999999}]}"#,
            br#"{"data": [{"id": "t", "updated_time": "\u0031\u0032"}]}"#,
        ] {
            assert!(
                conforming(bad, &CONVERSATION, true).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let repeated = br#"{"data": [{"id": "t", "updated_time": "x", "id": "t"}]}"#;
        assert!(conforming(repeated, &CONVERSATION, true).is_some());
        // A repeated paging: the last one counts, as in JSON.parse.
        let twice =
            br#"{"data": [], "paging": {"next": "n", "cursors": {"after": "A"}}, "paging": {}}"#;
        assert_eq!(
            conforming(twice, &CONVERSATION, true),
            Some(PageSummary::default())
        );
        assert!(conforming(b"{\"data\": [", &CONVERSATION, true).is_none());
        assert!(conforming(b"{\"data\": []} trailing", &CONVERSATION, true).is_none());
        let message =
            json!({"id": "m", "created_time": "2026-01-01T00:00:00+0000", "is_unsupported": true});
        assert!(conforming(message.to_string().as_bytes(), &MESSAGE, false).is_some());
    }
}
