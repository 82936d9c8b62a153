//! Graph timestamps: ISO 8601 with a `+0000` offset (no colon), sometimes unix seconds.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

/// Unix seconds of a Graph timestamp: `2022-07-12T19:11:07+0000`, RFC 3339 (`Z`, `+00:00`),
/// a date-time without offset (taken as UTC), or unix seconds as digits.
pub fn parse_graph_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    // Graph's `+0000` lacks RFC 3339's colon; add it rather than pull in a strftime parser.
    let b = s.as_bytes();
    if b.len() > 5
        && matches!(b[b.len() - 5], b'+' | b'-')
        && b[b.len() - 4..].iter().all(u8::is_ascii_digit)
    {
        let (head, tail) = s.split_at(s.len() - 2);
        if let Ok(t) = DateTime::parse_from_rfc3339(&format!("{head}:{tail}")) {
            return Some(t.timestamp());
        }
    }
    s.parse::<NaiveDateTime>()
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// Formats unix seconds the way Graph does.
pub fn format_graph_time(unix_seconds: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(unix_seconds, 0).map(|t| {
        let rfc3339 = t.to_rfc3339_opts(SecondsFormat::Secs, true);
        format!("{}+0000", rfc3339.trim_end_matches('Z'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_graph_and_users_send() {
        let expected = 1_657_653_067;
        for s in [
            "2022-07-12T19:11:07+0000",
            "2022-07-12T21:11:07+0200",
            "2022-07-12T19:11:07Z",
            "2022-07-12T19:11:07+00:00",
            "2022-07-12T19:11:07",
            "1657653067",
        ] {
            assert_eq!(parse_graph_time(s), Some(expected), "{s}");
        }
        assert_eq!(parse_graph_time("yesterday"), None);
        assert_eq!(parse_graph_time(""), None);
    }

    #[test]
    fn formats_like_graph() {
        assert_eq!(
            format_graph_time(1_657_653_067).as_deref(),
            Some("2022-07-12T19:11:07+0000")
        );
    }
}
