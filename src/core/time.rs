//! Graph timestamps: ISO 8601 with a `+0000` offset (no colon), sometimes unix seconds, and in
//! webhooks unix milliseconds, as numbers or strings. One parser, [`parse_time_ms`], reads them
//! all; [`parse_graph_time`] is it in seconds.
//!
//! Parsed and formatted here with the civil-calendar arithmetic of Howard Hinnant's
//! `days_from_civil`, not a date crate: the JS package has a 120 KB budget and a general date
//! parser costs a sixth of it. The tests check this against chrono over a wide range.

use serde_json::Value;

/// A unix time of at least this magnitude is taken as milliseconds, below it as seconds.
/// 10^11 seconds is the year 5138, 10^11 milliseconds is 1973-03-03: every time Graph sends is
/// far from both, so the number of digits decides (11 digits or fewer: seconds; 12 or more:
/// milliseconds, e.g. webhook `timestamp`s of 13 digits).
pub const MILLIS_FROM: i64 = 100_000_000_000;

/// Unix milliseconds of a time value as Graph and its webhooks send it (see [`parse_text_ms`] for
/// strings): a JSON number is unix seconds or milliseconds, told apart by magnitude (see
/// [`MILLIS_FROM`]); fractional seconds are kept to the millisecond. Anything else is `None`.
pub fn parse_time_ms(value: &Value) -> Option<i64> {
    match value {
        Value::String(s) => parse_text_ms(s),
        Value::Number(n) => match n.as_i64() {
            Some(whole) => unix_ms(whole),
            None => float_ms(n.as_f64()?),
        },
        _ => None,
    }
}

/// Unix milliseconds of a time string: `2022-07-12T19:11:07+0000`, RFC 3339 (`Z`, `+00:00`,
/// fractional seconds, kept to the millisecond), a date-time without offset (taken as UTC), or
/// unix seconds or milliseconds as digits (told apart by magnitude, see [`MILLIS_FROM`]).
pub fn parse_text_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return unix_ms(s.parse().ok()?);
    }
    parse_iso_ms(s)
}

/// Unix seconds of a Graph timestamp: any form [`parse_text_ms`] reads, the fraction dropped.
pub fn parse_graph_time(s: &str) -> Option<i64> {
    parse_text_ms(s).map(|ms| ms.div_euclid(1000))
}

/// Whole unix seconds or milliseconds, by magnitude, as milliseconds.
fn unix_ms(n: i64) -> Option<i64> {
    if n.unsigned_abs() >= MILLIS_FROM as u64 {
        Some(n)
    } else {
        n.checked_mul(1000)
    }
}

/// A fractional number of unix seconds or milliseconds, by magnitude, as whole milliseconds.
fn float_ms(n: f64) -> Option<i64> {
    let ms = if n.abs() >= MILLIS_FROM as f64 {
        n
    } else {
        n * 1000.0
    };
    // Whole milliseconds: the fraction of a millisecond is dropped, as from an ISO fraction.
    (ms.is_finite() && ms.abs() < 9.0e15).then(|| ms.floor() as i64)
}

fn parse_iso_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        // The first three digits, right-padded: ".5" is 500 ms, ".123456" is 123 ms.
        let padded = fraction[..digits].bytes().chain(*b"00").take(3);
        millis = padded.fold(0, |ms, c| ms * 10 + i64::from(c - b'0'));
        rest = &fraction[digits..];
    }
    let offset = match rest.as_bytes() {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] => {
            let digits = rest[1..].replace(':', "");
            let hm = (digits.len() == 4 && digits.bytes().all(|c| c.is_ascii_digit()))
                .then(|| digits.parse::<i64>().ok())??;
            let (h, m) = (hm / 100, hm % 100);
            if h > 23 || m > 59 || (rest.len() != 5 && rest.len() != 6) {
                return None;
            }
            (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset;
    Some(seconds * 1000 + millis)
}

/// Formats unix seconds the way Graph does: `2022-07-12T19:11:07+0000`.
pub fn format_graph_time(unix_seconds: i64) -> Option<String> {
    // Years 0000 to 9999 only, as ISO 8601 basic form allows.
    if !(-62_167_219_200..=253_402_300_799).contains(&unix_seconds) {
        return None;
    }
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+0000",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ))
}

/// Formats unix milliseconds as ISO 8601 in UTC with milliseconds, as JS `toISOString` does:
/// `2022-07-12T19:11:07.123Z`.
pub fn format_iso_ms(unix_ms: i64) -> Option<String> {
    let graph = format_graph_time(unix_ms.div_euclid(1000))?;
    let seconds = graph.strip_suffix("+0000")?;
    Some(format!("{seconds}.{:03}Z", unix_ms.rem_euclid(1000)))
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, SecondsFormat, Utc};

    #[test]
    fn parses_every_form_graph_and_users_send() {
        let expected = 1_657_653_067;
        for s in [
            "2022-07-12T19:11:07+0000",
            "2022-07-12T21:11:07+0200",
            "2022-07-12T14:11:07-0500",
            "2022-07-12T19:11:07Z",
            "2022-07-12T19:11:07.250Z",
            "2022-07-12T19:11:07+00:00",
            "2022-07-12T19:11:07",
            "1657653067",
        ] {
            assert_eq!(parse_graph_time(s), Some(expected), "{s}");
        }
        for bad in [
            "yesterday",
            "",
            "2022-13-01T00:00:00Z",
            "2022-02-30T00:00:00Z",
            "2022-07-12T24:00:00Z",
            "2022-07-12T19:11:07+2500",
            "2022-07-12T19:11:07+00",
            "2022-07-12",
            "2022-07-12T19:11:07.Z",
            "2022-07-12T19:11:07 UTC",
            "２０２２-07-12T19:11:07Z",
        ] {
            assert_eq!(parse_graph_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_every_time_value_as_milliseconds() {
        use serde_json::json;
        let ms = 1_657_653_067_000;
        for (value, expected) in [
            // ISO 8601 and RFC 3339, fractions kept to the millisecond.
            (json!("2022-07-12T19:11:07+0000"), ms),
            (json!("2022-07-12T19:11:07Z"), ms),
            (json!("2022-07-12T19:11:07+00:00"), ms),
            (json!("2022-07-12T21:11:07+02:00"), ms),
            (json!("2022-07-12T19:11:07.5Z"), ms + 500),
            (json!("2022-07-12T19:11:07.25+0000"), ms + 250),
            (json!("2022-07-12T19:11:07.123456789Z"), ms + 123),
            (json!("2022-07-12T19:11:07.000Z"), ms),
            // Unix seconds (up to 11 digits) and milliseconds (12 or more), numbers or strings.
            (json!(1_657_653_067), ms),
            (json!("1657653067"), ms),
            (json!(" 1657653067 "), ms),
            (json!(1_657_653_067_123_i64), ms + 123),
            (json!("1657653067123"), ms + 123),
            (json!(1_657_653_067.25), ms + 250),
            (json!(1_657_653_067_123.9), ms + 123),
            (json!(0), 0),
            (json!("0"), 0),
            (json!(99_999_999_999_i64), 99_999_999_999_000),
            (json!(100_000_000_000_i64), 100_000_000_000),
            (json!(-86_400), -86_400_000),
            (json!("1969-12-31T23:59:59.5Z"), -500),
        ] {
            assert_eq!(parse_time_ms(&value), Some(expected), "{value}");
        }
        for garbage in [
            json!(null),
            json!(true),
            json!([1_657_653_067]),
            json!({"time": 1_657_653_067}),
            json!(""),
            json!("soon"),
            json!("-1657653067"),
            json!("1657653067.5"),
            json!("1e12"),
            json!("99999999999999999999999"),
            json!(u64::MAX),
            json!(1e300),
            json!(-1e300),
            json!("2022-07-12T19:11:07.Z"),
        ] {
            assert_eq!(parse_time_ms(&garbage), None, "{garbage}");
        }
    }

    #[test]
    fn graph_time_in_seconds_drops_the_fraction() {
        assert_eq!(parse_graph_time("1657653067123"), Some(1_657_653_067));
        assert_eq!(
            parse_graph_time("2022-07-12T19:11:07.999Z"),
            Some(1_657_653_067)
        );
        assert_eq!(parse_graph_time("1969-12-31T23:59:59.5Z"), Some(-1));
    }

    #[test]
    fn formats_like_graph() {
        assert_eq!(
            format_graph_time(1_657_653_067).as_deref(),
            Some("2022-07-12T19:11:07+0000")
        );
        assert_eq!(
            format_graph_time(0).as_deref(),
            Some("1970-01-01T00:00:00+0000")
        );
        assert_eq!(format_graph_time(i64::MAX), None);
    }

    #[test]
    fn agrees_with_chrono_across_four_centuries() {
        // A deterministic spread of instants, leap days and month ends included.
        let mut t: i64 = -2_208_988_800; // 1900-01-01
        while t < 4_102_444_800 {
            // 2100-01-01
            let ours = format_graph_time(t).unwrap();
            let theirs = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
            let rfc = theirs.to_rfc3339_opts(SecondsFormat::Secs, true);
            assert_eq!(ours, format!("{}+0000", rfc.trim_end_matches('Z')), "{t}");
            assert_eq!(parse_graph_time(&ours), Some(t));
            assert_eq!(parse_graph_time(&rfc), Some(t));
            t += 86_400 * 13 + 3_607;
        }
    }
}
