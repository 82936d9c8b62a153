//! A Graph answer before it becomes an HTTP response: status, body, usage headers, and whether
//! the connection is dropped instead.

use std::io;

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;

use crate::errors::GraphError;
use crate::faults::{self, Transient};
use crate::heavy::{Answer, Failure};
use crate::json::Obj;
use crate::ratelimit::Usage;

/// Marks a response the server must not send: it closes the connection instead.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    Now,
    MidBody,
}

/// A Graph answer before it becomes an HTTP response.
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
    pub content_type: Option<&'static str>,
    pub usage: Option<Usage>,
    pub challenge: Option<String>,
    pub throttled: bool,
    pub drop: Option<DropKind>,
    /// Milliseconds to hold the connection before answering (or dropping it).
    pub hold_ms: Option<u64>,
    /// The name a refused or over-heavy request is counted under.
    pub heavy: Option<&'static str>,
}

const JSON: &str = "application/json; charset=UTF-8";
const HTML: &str = "text/html; charset=utf-8";

impl Reply {
    pub fn ok(body: Obj) -> Self {
        Self {
            status: 200,
            body: body.to_bytes().into(),
            content_type: Some(JSON),
            usage: None,
            challenge: None,
            throttled: false,
            drop: None,
            hold_ms: None,
            heavy: None,
        }
    }

    pub fn error(e: &GraphError, trace: &str) -> Self {
        Self {
            status: e.status,
            challenge: e.www_authenticate(),
            throttled: matches!(e.code, 613 | 80006),
            ..Self::ok(e.body(trace))
        }
    }

    /// A body that is not Graph's, as a proxy in front of it would send.
    fn bare(status: u16, body: &'static str, content_type: Option<&'static str>) -> Self {
        Self {
            status,
            body: Bytes::from_static(body.as_bytes()),
            content_type,
            ..Self::ok(Obj::new())
        }
    }

    pub fn transient(kind: Transient, trace: &str) -> Self {
        match kind {
            Transient::Json => Self::error(&GraphError::transient(), trace),
            Transient::Html => Self::bare(503, faults::HTML_503, Some(HTML)),
            Transient::Empty => Self::bare(503, "", None),
        }
    }

    /// The answer to a call that failed in routing or execution.
    pub fn failure(f: &Failure, trace: &str) -> Self {
        let (label, answer) = match f {
            Failure::Graph(e) => return Self::error(e, trace),
            Failure::Heavy(label, answer) => (*label, answer),
        };
        let reply = match answer {
            Answer::Graph(e) => Self::error(e, trace),
            Answer::Html(status, body) => Self::bare(*status, body, Some(HTML)),
            Answer::Hang(ms) => Self {
                hold_ms: Some(*ms),
                ..Self::dropped()
            },
            Answer::Drop => Self::dropped(),
        };
        Self {
            heavy: Some(label),
            ..reply
        }
    }

    pub fn dropped() -> Self {
        Self {
            drop: Some(DropKind::Now),
            ..Self::ok(Obj::new())
        }
    }

    pub fn into_response(self, version: &str, trace: &str) -> Response {
        if self.drop == Some(DropKind::Now) {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(DropConnection);
            return r;
        }
        let len = self.body.len();
        let body = match self.drop {
            Some(DropKind::MidBody) => {
                let half = self.body.slice(..len / 2);
                let chunks: [io::Result<Bytes>; 2] = [
                    Ok(half),
                    Err(io::Error::new(io::ErrorKind::ConnectionAborted, "dropped")),
                ];
                Body::from_stream(futures_util::stream::iter(chunks))
            }
            _ => Body::from(self.body),
        };
        let mut r = Response::new(body);
        *r.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let h = r.headers_mut();
        let mut put = |name: HeaderName, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        };
        if let Some(ct) = self.content_type {
            put(header::CONTENT_TYPE, ct);
        }
        put(HeaderName::from_static("facebook-api-version"), version);
        put(HeaderName::from_static("x-fb-trace-id"), trace);
        put(
            header::CACHE_CONTROL,
            "private, no-cache, no-store, must-revalidate",
        );
        if let Some(u) = &self.usage {
            put(HeaderName::from_static("x-app-usage"), &u.app_header());
            put(
                HeaderName::from_static("x-business-use-case-usage"),
                &u.buc_header(),
            );
        }
        if let Some(c) = &self.challenge {
            put(header::WWW_AUTHENTICATE, c);
        }
        if self.drop == Some(DropKind::MidBody) {
            put(header::CONTENT_LENGTH, &len.to_string());
        }
        r
    }
}
