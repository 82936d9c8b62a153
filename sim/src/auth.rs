//! Access tokens (header or query) and `appsecret_proof`.

use axum::http::{header, HeaderMap};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::errors::GraphError;
use crate::query::Query;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenSource {
    Header,
    Query,
    None,
}

/// The token from `Authorization: Bearer|OAuth <t>`, else from `access_token`.
pub fn token<'a>(headers: &'a HeaderMap, query: &'a Query) -> (Option<&'a str>, TokenSource) {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            let ok = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth");
            ok.then(|| rest.trim())
        })
        .filter(|t| !t.is_empty());
    if let Some(t) = from_header {
        return (Some(t), TokenSource::Header);
    }
    match query.get("access_token").filter(|t| !t.is_empty()) {
        Some(t) => (Some(t), TokenSource::Query),
        None => (None, TokenSource::None),
    }
}

/// How far `appsecret_time` may be from now.
const PROOF_WINDOW_SECS: i64 = 300;

/// Checks `appsecret_proof`: hex HMAC-SHA256 keyed with the app secret over the token, or
/// over `token|appsecret_time` when a time is given (then valid for five minutes).
pub fn check_proof(
    secret: &str,
    token: &str,
    query: &Query,
    now_secs: i64,
) -> Result<(), GraphError> {
    let proof = query
        .get("appsecret_proof")
        .filter(|p| !p.is_empty())
        .ok_or_else(GraphError::appsecret_missing)?;
    let message = match query.get("appsecret_time") {
        None => token.to_owned(),
        Some(t) => {
            let time: i64 = t.parse().map_err(|_| GraphError::appsecret_invalid())?;
            if (now_secs - time).abs() > PROOF_WINDOW_SECS {
                return Err(GraphError::appsecret_invalid());
            }
            format!("{token}|{time}")
        }
    };
    let given = hex::decode(proof).map_err(|_| GraphError::appsecret_invalid())?;
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes())
        .map_err(|_| GraphError::appsecret_invalid())?;
    mac.update(message.as_bytes());
    mac.verify_slice(&given)
        .map_err(|_| GraphError::appsecret_invalid())
}

/// The proof a client would send; used by tests and the README.
pub fn proof(secret: &str, token: &str, time: Option<i64>) -> String {
    let message = match time {
        Some(t) => format!("{token}|{t}"),
        None => token.to_owned(),
    };
    hmac_hex(secret, message.as_bytes())
}

/// Lowercase hex HMAC-SHA256 of `bytes` keyed with `secret`: `appsecret_proof`, and the
/// webhook signature after `sha256=`.
pub fn hmac_hex(secret: &str, bytes: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(bytes);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_sources() {
        let q = Query::parse(Some("access_token=q"));
        let mut h = HeaderMap::new();
        assert_eq!(token(&h, &q), (Some("q"), TokenSource::Query));
        h.insert(header::AUTHORIZATION, "OAuth  abc ".parse().unwrap());
        assert_eq!(token(&h, &q), (Some("abc"), TokenSource::Header));
        h.insert(header::AUTHORIZATION, "Basic xyz".parse().unwrap());
        assert_eq!(token(&h, &Query::parse(None)), (None, TokenSource::None));
    }

    #[test]
    fn proofs_both_forms() {
        let p = proof("s3cret", "tok", None);
        let q = Query::parse(Some(&format!("appsecret_proof={p}")));
        assert_eq!(check_proof("s3cret", "tok", &q, 0), Ok(()));
        assert_eq!(
            check_proof("other", "tok", &q, 0),
            Err(GraphError::appsecret_invalid())
        );
        let p = proof("s3cret", "tok", Some(1000));
        let q = Query::parse(Some(&format!("appsecret_proof={p}&appsecret_time=1000")));
        assert_eq!(check_proof("s3cret", "tok", &q, 1200), Ok(()));
        assert_eq!(
            check_proof("s3cret", "tok", &q, 1301),
            Err(GraphError::appsecret_invalid())
        );
        assert_eq!(
            check_proof("s3cret", "tok", &Query::parse(None), 0),
            Err(GraphError::appsecret_missing())
        );
    }
}
