//! Response bodies: checked and passed through as text when already normal (`core::verbatim`),
//! else parsed, cleaned of tokens and normalised (`core::schema`).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::core::error::{classify_error, GraphApiError};
use crate::core::operations::Expect;
use crate::core::redact;
use crate::core::schema;
use crate::core::verbatim;
use crate::transport::HttpResponse;

/// How a caller wants a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Only the wasm facade (and a host test) hands bodies over verbatim.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) enum Decode {
    /// A body that is already normal may come back as its own text (`Body::Verbatim`): the
    /// cheapest way to hand it to JS, whose `JSON.parse` is faster than anything in wasm.
    AllowVerbatim,
    /// Always parsed (`Body::Parsed`).
    Parse,
}

/// A decoded response body, token-free either way.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// Already normal: the response text with what a pager needs.
    Verbatim(String, verbatim::PageSummary),
    /// Parsed and normalised.
    Parsed(Value),
}

impl Body {
    /// The body as JSON (a verbatim body is parsed).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Body::Parsed(v) => v,
            Body::Verbatim(text, _) => serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// The page's `paging`, as far as a pager reads it.
    pub(crate) fn paging(&self) -> Option<Value> {
        match self {
            Body::Parsed(v) => v.get("paging").cloned(),
            Body::Verbatim(_, summary) => {
                let mut paging = serde_json::Map::new();
                if let Some(next) = &summary.next {
                    paging.insert("next".to_owned(), Value::from(next.as_str()));
                }
                if let Some(after) = &summary.after {
                    let mut cursors = serde_json::Map::new();
                    cursors.insert("after".to_owned(), Value::from(after.as_str()));
                    paging.insert("cursors".to_owned(), Value::Object(cursors));
                }
                Some(Value::Object(paging))
            }
        }
    }
}

/// Decodes a successful response as `expect` says (`None`: plain JSON), cutting `token` out.
pub(crate) fn decode(
    response: &HttpResponse,
    expect: Option<Expect>,
    mode: Decode,
    token: &str,
) -> Result<Body, GraphApiError> {
    if let (Decode::AllowVerbatim, Some(expect)) = (mode, expect) {
        let (schema, page) = match expect {
            Expect::Object(s) => (s, false),
            Expect::Page(s) => (s, true),
        };
        if let Some(summary) = verbatim::conforming(&response.body, schema, page) {
            if let Some(text) = redact::strip_in_text(&response.body, token) {
                return Ok(Body::Verbatim(text, summary));
            }
        }
    }
    let body = parse_body(response)?;
    match expect {
        Some(expect) => normalized(body, expect).map(Body::Parsed),
        None => Ok(Body::Parsed(body)),
    }
}

fn parse_body(response: &HttpResponse) -> Result<Value, GraphApiError> {
    let status = response.status;
    let mut body: Value = serde_json::from_slice(&response.body).map_err(|e| {
        GraphApiError::invalid_response(status, format!("response is not valid JSON: {e}"))
    })?;
    if body.get("error").is_some_and(Value::is_object) {
        return Err(classify_error(status, &response.body, None));
    }
    redact::strip_in_value(&mut body);
    Ok(body)
}

fn normalized(mut body: Value, expect: Expect) -> Result<Value, GraphApiError> {
    match expect {
        Expect::Object(s) => {
            if !schema::normalize(&mut body, s) {
                return Err(GraphApiError::invalid_response(
                    200,
                    "response is not the JSON object Graph documents",
                ));
            }
        }
        Expect::Page(s) => {
            // A body without a data array is not a page; an odd item inside one is kept.
            if !body.get("data").is_some_and(Value::is_array) {
                return Err(GraphApiError::invalid_response(
                    200,
                    "list response has no data array",
                ));
            }
            schema::normalize_page(&mut body, s);
        }
    }
    Ok(body)
}

/// A normalised JSON value as a Rust model.
pub(crate) fn typed<R: DeserializeOwned>(value: Value) -> Result<R, GraphApiError> {
    serde_json::from_value(value)
        .map_err(|e| GraphApiError::invalid_response(200, format!("cannot decode: {e}")))
}
