//! Webhook bodies written byte for byte the way Meta writes them, and their signature.
//!
//! Meta signs "an escaped unicode version of the payload, with lowercase hex digits": every
//! non-ASCII character is `\uXXXX` (astral characters as a UTF-16 surrogate pair) and `/` is
//! `\/`. Receivers that re-serialise the JSON instead of hashing the raw bytes fail exactly on
//! such bodies, so the simulator must produce them.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, Serializer};

use crate::auth;

/// serde_json's compact output with Meta's escaping inside strings (keys included).
struct MetaFormatter;

impl Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() && c != '/' {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            if c == '/' {
                w.write_all(b"\\/")?;
            } else {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // Quotes, backslashes and control characters keep serde_json's escapes, which already use
    // lowercase hex (`\u001f`).
    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        escape: serde_json::ser::CharEscape,
    ) -> io::Result<()> {
        CompactFormatter.write_char_escape(w, escape)
    }
}

/// `value` as Meta's wire JSON: pure ASCII.
pub fn to_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = Serializer::with_formatter(&mut out, MetaFormatter);
    // Serialising the simulator's own JSON types into memory cannot fail.
    let _ = value.serialize(&mut ser);
    out
}

/// The `X-Hub-Signature-256` header value for `body`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", auth::hmac_hex(secret, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_meta() {
        let v = serde_json::json!({"t": "äöå / 😀 \"q\"\n\u{1f}"});
        assert_eq!(
            String::from_utf8(to_bytes(&v)).unwrap(),
            r#"{"t":"\u00e4\u00f6\u00e5 \/ \ud83d\ude00 \"q\"\n\u001f"}"#
        );
    }
}
