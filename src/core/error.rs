//! One error type for every failure, classified from Graph's error envelope by a pure function.
//!
//! Long because of its tests: half the file checks the classification table code by code.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::usage::Usage;

/// What went wrong, coarse enough to act on. The wire names are the JS `kind` strings (the
/// TypeScript union `ErrorKind`, aliased as `GraphApiErrorKind`, is generated from this enum).
///
/// The single source of truth for what each kind means to a caller: [`ErrorKind::is_retryable`],
/// [`ErrorKind::is_transient`] and [`ErrorKind::is_sync_recoverable`]. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Rejected before any request was made.
    InvalidArgument,
    /// The token is missing, invalid or expired (Graph code 190).
    Auth,
    /// The token lacks a permission or task (codes 10, 200-299).
    Permission,
    /// The object does not exist or cannot be seen with this token (100/33).
    NotFound,
    /// A Graph rate limit was hit (4, 17, 32, 613, 80001, 80002, 80006 ...).
    RateLimited,
    /// Details of a message outside the newest 20 of its thread (9000001).
    MessageUnavailable,
    /// "Please reduce the amount of data you're asking for" (code 1): ask for less.
    ReduceData,
    /// A temporary Graph failure (codes 1, 2, `is_transient`, HTTP 5xx).
    Transient,
    /// No response: connection refused, reset, DNS ...
    Network,
    /// No response within `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A response that is not the JSON Graph promises.
    InvalidResponse,
    /// Any other Graph error.
    Graph,
    /// A webhook body whose `X-Hub-Signature-256` is missing or does not match any app secret.
    InvalidSignature,
    /// A signed webhook body that is not Meta's envelope (`{object, entry: [...]}`).
    InvalidPayload,
}

impl ErrorKind {
    /// Worth sending again unchanged (after a backoff): the client's retry policy retries these.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// match client.get_message("m_1", &Default::default()).await {
    ///     Err(e) if e.kind.is_retryable() => println!("try again later: {e}"),
    ///     other => println!("{:?}", other.map(|m| m.id)),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Self::Transient | Self::RateLimited | Self::Network | Self::Timeout
        )
    }

    /// What [`GraphApiError::is_transient`] starts from: the same request may succeed later.
    /// That is exactly "retryable"; Graph's own `is_transient: true` flag can add to it.
    pub fn is_transient(self) -> bool {
        self.is_retryable()
    }

    /// Worth another try at sync level, after the client gave up: everything retryable, and a
    /// malformed body too (one bad page is not the end of an import). The sync planner also
    /// recovers from `ReduceData` and `MessageUnavailable`, by asking for less: see
    /// `core::sync::SyncPlanner::recover`.
    pub fn is_sync_recoverable(self) -> bool {
        self.is_retryable() || self == Self::InvalidResponse
    }
}

/// A failed call. Never carries the access token: messages from Graph are redacted on the way in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphApiError {
    /// What went wrong, coarse enough to act on.
    pub kind: ErrorKind,
    /// A human-readable description (never containing the token).
    pub message: String,
    /// The HTTP status, when there was a response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Graph's `error.code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Graph's `error.error_subcode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcode: Option<i64>,
    /// Graph's `error.type` (`OAuthException`, `GraphMethodException`, `IGApiException` ...).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// Graph's `error.fbtrace_id`, for Meta support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
    /// How long Graph says to wait (`estimated_time_to_regain_access`), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// Whether the same call may succeed later unchanged.
    pub is_transient: bool,
}

impl GraphApiError {
    /// An error of `kind` with `message`; `is_transient` follows the kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            code: None,
            subcode: None,
            error_type: None,
            fbtrace_id: None,
            retry_after_ms: None,
            is_transient: kind.is_transient(),
        }
    }

    /// Bad input, rejected before any request.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    /// A response that is not the JSON Graph promises.
    pub fn invalid_response(status: u16, message: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            ..Self::new(ErrorKind::InvalidResponse, message)
        }
    }

    /// Replaces every occurrence of `secret` in the text Graph sent (the message, `type` and
    /// `fbtrace_id`), so no error can leak a token.
    pub fn redact(mut self, secret: &str) -> Self {
        let fields = [
            Some(&mut self.message),
            self.error_type.as_mut(),
            self.fbtrace_id.as_mut(),
        ];
        for text in fields.into_iter().flatten() {
            if !secret.is_empty() && text.contains(secret) {
                *text = text.replace(secret, "[redacted]");
            }
        }
        self
    }
}

impl fmt::Display for GraphApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GraphApiError {}

fn as_i64(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

const RATE_LIMIT_CODES: &[i64] = &[
    4, 17, 32, 341, 613, 80001, 80002, 80004, 80005, 80006, 80008,
];

/// Turns a non-2xx response (or a 2xx carrying an error envelope) into an error.
/// Dispatches on Graph's `code`/`error_subcode`, falling back to the HTTP status.
pub fn classify_error(status: u16, body: &[u8], usage: Option<&Usage>) -> GraphApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let Some(body) = parsed
        .as_ref()
        .and_then(|v| v.get("error"))
        .filter(|e| e.is_object())
    else {
        let kind = match status {
            401 => ErrorKind::Auth,
            403 => ErrorKind::Permission,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Transient,
            _ => ErrorKind::InvalidResponse,
        };
        let mut err = GraphApiError::new(
            kind,
            format!("Graph answered HTTP {status} without an error envelope"),
        );
        err.status = Some(status);
        err.retry_after_ms = usage.and_then(Usage::retry_after_ms);
        return err;
    };

    let field = |name: &str| body.get(name);
    let code = as_i64(field("code"));
    let subcode = as_i64(field("error_subcode"));
    let message =
        as_string(field("message")).unwrap_or_else(|| format!("Graph error (HTTP {status})"));
    let user_msg = as_string(field("error_user_msg")).unwrap_or_default();
    let flagged_transient = matches!(field("is_transient"), Some(Value::Bool(true)));
    let asks_for_less = |s: &str| s.to_ascii_lowercase().contains("reduce the amount of data");

    let kind = match (code, subcode) {
        (Some(9000001), _) => ErrorKind::MessageUnavailable,
        (Some(1), _) if asks_for_less(&message) || asks_for_less(&user_msg) => {
            ErrorKind::ReduceData
        }
        (Some(c), _) if RATE_LIMIT_CODES.contains(&c) => ErrorKind::RateLimited,
        (Some(190 | 102), _) => ErrorKind::Auth,
        (Some(10 | 3 | 200..=299), _) => ErrorKind::Permission,
        (Some(100), Some(33)) | (Some(803), _) => ErrorKind::NotFound,
        (Some(1 | 2), _) => ErrorKind::Transient,
        _ if flagged_transient || status >= 500 => ErrorKind::Transient,
        _ if status == 429 => ErrorKind::RateLimited,
        _ => ErrorKind::Graph,
    };
    let mut err = GraphApiError::new(kind, message);
    err.status = Some(status);
    err.code = code;
    err.subcode = subcode;
    err.error_type = as_string(field("type"));
    err.fbtrace_id = as_string(field("fbtrace_id"));
    err.retry_after_ms = usage.and_then(Usage::retry_after_ms);
    err.is_transient = err.is_transient || flagged_transient;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(status: u16, body: &str) -> GraphApiError {
        classify_error(status, body.as_bytes(), None)
    }

    fn envelope(code: i64, subcode: Option<i64>, message: &str) -> String {
        let mut error = serde_json::json!({
            "message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC123"
        });
        if let Some(s) = subcode {
            error["error_subcode"] = s.into();
        }
        serde_json::json!({ "error": error }).to_string()
    }

    #[test]
    fn classification_table() {
        let reduce = "Please reduce the amount of data you're asking for, then retry your request";
        let cases: &[(u16, i64, Option<i64>, &str, ErrorKind)] = &[
            (
                400,
                4,
                None,
                "(#4) Application request limit reached",
                ErrorKind::RateLimited,
            ),
            (
                400,
                17,
                None,
                "(#17) User request limit reached",
                ErrorKind::RateLimited,
            ),
            (
                400,
                32,
                None,
                "(#32) Page request limit reached",
                ErrorKind::RateLimited,
            ),
            (
                400,
                613,
                Some(2534040),
                "Calls to this api have exceeded the rate limit.",
                ErrorKind::RateLimited,
            ),
            (400, 80001, None, "too many calls", ErrorKind::RateLimited),
            (400, 80002, None, "too many calls", ErrorKind::RateLimited),
            (
                400,
                80006,
                None,
                "(#80006) There have been too many messenger api calls",
                ErrorKind::RateLimited,
            ),
            (500, 1, None, reduce, ErrorKind::ReduceData),
            (
                500,
                1,
                Some(99),
                "An unknown error occurred",
                ErrorKind::Transient,
            ),
            (
                500,
                2,
                None,
                "An unexpected error has occurred.",
                ErrorKind::Transient,
            ),
            (
                400,
                190,
                Some(463),
                "Error validating access token: Session has expired",
                ErrorKind::Auth,
            ),
            (
                400,
                10,
                None,
                "(#10) Permission denied",
                ErrorKind::Permission,
            ),
            (
                400,
                200,
                None,
                "(#200) Permissions error",
                ErrorKind::Permission,
            ),
            (403, 299, None, "(#299) Permission", ErrorKind::Permission),
            (
                400,
                100,
                Some(33),
                "Unsupported get request.",
                ErrorKind::NotFound,
            ),
            (400, 100, None, "(#100) Invalid parameter", ErrorKind::Graph),
            (400, 2500, None, "Syntax error", ErrorKind::Graph),
            (
                400,
                9000001,
                None,
                "This Message has been deleted by the user or the business.",
                ErrorKind::MessageUnavailable,
            ),
        ];
        for &(status, code, subcode, message, kind) in cases {
            let err = classify(status, &envelope(code, subcode, message));
            assert_eq!(err.kind, kind, "code {code} subcode {subcode:?}");
            assert_eq!(err.code, Some(code));
            assert_eq!(err.subcode, subcode);
            assert_eq!(err.status, Some(status));
            assert_eq!(err.fbtrace_id.as_deref(), Some("AbC123"));
            assert_eq!(err.error_type.as_deref(), Some("OAuthException"));
            assert_eq!(err.message, message);
            assert_eq!(err.is_transient, kind.is_transient(), "code {code}");
        }
    }

    #[test]
    fn what_each_kind_means() {
        use ErrorKind::*;
        // (kind, wire name, retryable = transient, sync-recoverable)
        let table = [
            (InvalidArgument, "invalid_argument", false, false),
            (Auth, "auth", false, false),
            (Permission, "permission", false, false),
            (NotFound, "not_found", false, false),
            (RateLimited, "rate_limited", true, true),
            (MessageUnavailable, "message_unavailable", false, false),
            (ReduceData, "reduce_data", false, false),
            (Transient, "transient", true, true),
            (Network, "network", true, true),
            (Timeout, "timeout", true, true),
            (Aborted, "aborted", false, false),
            (InvalidResponse, "invalid_response", false, true),
            (Graph, "graph", false, false),
            (InvalidSignature, "invalid_signature", false, false),
            (InvalidPayload, "invalid_payload", false, false),
        ];
        for (kind, wire, retryable, recoverable) in table {
            assert_eq!(serde_json::to_value(kind).unwrap(), wire);
            assert_eq!(
                serde_json::from_value::<ErrorKind>(wire.into()).unwrap(),
                kind
            );
            assert_eq!(kind.is_retryable(), retryable, "{kind:?}");
            assert_eq!(kind.is_transient(), retryable, "{kind:?}");
            assert_eq!(
                GraphApiError::new(kind, "x").is_transient,
                retryable,
                "{kind:?}"
            );
            assert_eq!(kind.is_sync_recoverable(), recoverable, "{kind:?}");
        }
    }

    #[test]
    fn reduce_data_text_may_come_in_error_user_msg() {
        let body = r#"{"error":{"code":1,"error_subcode":99,"message":"An unknown error occurred",
            "error_user_msg":"Please reduce the amount of data you're asking for, then retry your request"}}"#;
        assert_eq!(classify(500, body).kind, ErrorKind::ReduceData);
    }

    #[test]
    fn is_transient_flag_and_string_codes_are_honoured() {
        let body = r#"{"error":{"code":"12345","message":"x","is_transient":true}}"#;
        let err = classify(400, body);
        assert_eq!(err.kind, ErrorKind::Transient);
        assert_eq!(err.code, Some(12345));
        assert!(err.is_transient);
    }

    #[test]
    fn bodies_without_an_envelope_fall_back_to_the_status() {
        assert_eq!(
            classify(503, "<html>Service Unavailable</html>").kind,
            ErrorKind::Transient
        );
        assert_eq!(classify(502, "").kind, ErrorKind::Transient);
        assert_eq!(classify(404, "").kind, ErrorKind::NotFound);
        assert_eq!(classify(401, "nope").kind, ErrorKind::Auth);
        assert_eq!(classify(429, "").kind, ErrorKind::RateLimited);
        assert_eq!(
            classify(400, "{\"data\":[]}").kind,
            ErrorKind::InvalidResponse
        );
    }

    #[test]
    fn redaction_removes_the_token() {
        let err = GraphApiError::new(ErrorKind::Auth, "bad token EAAB123 given").redact("EAAB123");
        assert_eq!(err.message, "bad token [redacted] given");
        // Found by the Node fuzz: Graph's other text fields are cut too.
        let body = r#"{"error": {"message": "m", "type": "EAAB123", "fbtrace_id": "x EAAB123"}}"#;
        let err = classify(400, body).redact("EAAB123");
        assert_eq!(err.error_type.as_deref(), Some("[redacted]"));
        assert_eq!(err.fbtrace_id.as_deref(), Some("x [redacted]"));
    }
}
