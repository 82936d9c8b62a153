//! Graph object IDs: validated before any request so a hostile or mistaken ID can never change
//! which endpoint is called (no `/`, `?`, `#`, `%`, `..`, whitespace or control characters).

use crate::core::error::GraphApiError;

/// Checks an ID that will become one path segment. `what` names it in the error message.
pub fn validate_id<'a>(id: &'a str, what: &str) -> Result<&'a str, GraphApiError> {
    let reason = if id.is_empty() {
        Some("is empty")
    } else if id.len() > 512 {
        Some("is longer than 512 characters")
    } else if id == "." || id.contains("..") {
        Some("contains '..'")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("contains whitespace or a control character")
    } else if id
        .chars()
        .any(|c| matches!(c, '/' | '?' | '#' | '%' | '\\'))
    {
        Some("contains one of / ? # % \\")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(GraphApiError::invalid_argument(format!(
            "{what} {reason}: \"{}\"",
            truncate_for_message(id)
        ))),
        None => Ok(id),
    }
}

/// Percent-encodes a validated ID as one path segment (IDs are ASCII in practice; this keeps
/// any other character from being read as syntax).
pub fn path_segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'=')
        .remove(b'+')
        .remove(b'$');
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

/// Keeps error messages short and printable even for absurd inputs.
fn truncate_for_message(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    #[test]
    fn accepts_real_graph_ids() {
        for id in [
            "me",
            "106000000000001",
            "t_10159876543210",
            "m_AbC-dEf_123",
            "mid.$cAAJsujCd2ORj_1ZZ",
            "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0MDA=",
            "aWdJRDoxNzg0MTQwMDAwMDAwMDAwMQ==",
        ] {
            assert_eq!(validate_id(id, "id").unwrap(), id);
            assert_eq!(path_segment(id), id, "real IDs need no escaping");
        }
    }

    #[test]
    fn unusual_characters_are_escaped_not_interpreted() {
        assert_eq!(path_segment("a&b:c@"), "a%26b%3Ac%40");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn rejects_ids_that_could_change_the_request() {
        for id in [
            "", "a/b", "a?b", "a#b", "a%2Fb", "..", "a..b", ".", "a b", " a", "a\n", "a\tb",
            "a\u{0}b", "a\u{7f}", "a\\b", "\u{2028}", "\u{a0}",
        ] {
            let err = validate_id(id, "pageId").unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument, "{id:?}");
            assert!(err.message.starts_with("pageId "), "{}", err.message);
        }
    }
}
