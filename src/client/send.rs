//! One request end to end: paced, authenticated, sent, classified, retried, decoded.

use serde_json::Value;

use super::config::TokenTransport;
use super::decode::{decode, Body, Decode};
use super::{lock, Client};
use crate::core::error::{classify_error, ErrorKind, GraphApiError};
use crate::core::operations::Expect;
use crate::core::request::RequestSpec;
use crate::core::retry::Decision;
use crate::core::usage::Usage;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// What the client retries by itself before handing a failure to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retries {
    /// Every retryable failure, within `maxRetries`.
    All,
    /// Only throttling (the caller decides about the rest: the sync planner shrinks requests
    /// that may be too heavy instead of repeating them).
    ThrottlingOnly,
}

impl<T: Transport> Client<T> {
    fn http_request(&self, spec: &RequestSpec, timeout_ms: f64) -> HttpRequest {
        let c = &self.shared.config;
        let mut spec = spec.clone();
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        match c.token_transport {
            TokenTransport::Header => headers.push((
                "authorization".to_owned(),
                format!("Bearer {}", c.token.expose()),
            )),
            TokenTransport::Query => spec.set("access_token", c.token.expose().to_owned()),
        }
        if let Some(p) = &c.proof {
            spec.set("appsecret_proof", p.proof.clone());
            spec.set("appsecret_time", p.time.to_string());
        }
        HttpRequest {
            url: format!("{}/{}{}", c.base_url, c.api_version, spec.path_and_query()),
            headers,
            timeout_ms: Some(timeout_ms),
        }
    }

    /// One attempt: paced, sent within `timeout_ms`, classified. Graph's body comes back
    /// token-free.
    async fn attempt(
        &self,
        spec: &RequestSpec,
        timeout_ms: f64,
    ) -> Result<HttpResponse, GraphApiError> {
        let now = self.transport.now_ms();
        let wait = lock(&self.shared.pacer).reserve(now);
        {
            let mut stats = lock(&self.shared.stats);
            stats.requests += 1;
            let counted_from = stats.waiting_until.max(now);
            stats.rate_limit_wait_ms += (now + wait - counted_from).max(0.0);
            stats.waiting_until = counted_from.max(now + wait);
        }
        if wait > 0.0 {
            self.transport.sleep(wait).await;
        }
        loop {
            let late = lock(&self.shared.pacer).depart(self.transport.now_ms());
            if late <= 0.0 {
                break;
            }
            self.transport.sleep(late).await;
        }
        let response = self
            .transport
            .send(self.http_request(spec, timeout_ms))
            .await
            .map_err(|e| match e {
                TransportError::Network(m) => {
                    GraphApiError::new(ErrorKind::Network, format!("network error: {m}"))
                }
                TransportError::Timeout => GraphApiError::new(
                    ErrorKind::Timeout,
                    format!("no response within {} ms", timeout_ms as u64),
                ),
                TransportError::Aborted => {
                    GraphApiError::new(ErrorKind::Aborted, "the operation was aborted")
                }
            })?;
        let usage = Usage::from_headers(|name| response.header(name));
        if let Some(u) = &usage {
            *lock(&self.shared.usage) = Some(u.clone());
        }
        if !(200..300).contains(&response.status) {
            return Err(classify_error(
                response.status,
                &response.body,
                usage.as_ref(),
            ));
        }
        Ok(response)
    }

    /// Sends with retries and decodes as `expect` and `mode` say. Decoding failures are retried
    /// like any other (an error envelope in a 200 may be transient). One function for every
    /// read keeps a single retry state machine in the wasm build.
    pub(crate) async fn send(
        &self,
        spec: &RequestSpec,
        expect: Option<Expect>,
        mode: Decode,
    ) -> Result<Body, GraphApiError> {
        self.send_with(spec, expect, mode, Retries::All, None).await
    }

    /// [`Client::send`] with a choice of what this client retries itself, and a `deadline_ms`
    /// that shortens the client's timeout for this request.
    pub(crate) async fn send_with(
        &self,
        spec: &RequestSpec,
        expect: Option<Expect>,
        mode: Decode,
        retries_of: Retries,
        deadline_ms: Option<f64>,
    ) -> Result<Body, GraphApiError> {
        let token = self.shared.config.token.expose();
        let timeout_ms = deadline_ms.map_or(self.shared.config.timeout_ms, |d| {
            d.min(self.shared.config.timeout_ms)
        });
        let mut retries = 0;
        loop {
            let err = match self.attempt(spec, timeout_ms).await {
                Ok(response) => match decode(&response, expect, mode, token) {
                    Ok(body) => return Ok(body),
                    Err(err) => err.redact(token),
                },
                Err(err) => err.redact(token),
            };
            if err.kind == ErrorKind::RateLimited {
                lock(&self.shared.stats).throttled += 1;
            } else if retries_of == Retries::ThrottlingOnly {
                return Err(err);
            }
            match self
                .shared
                .config
                .retry
                .decide(retries, &err, self.transport.random())
            {
                Decision::GiveUp => return Err(err),
                Decision::RetryAfter(ms) => {
                    if err.kind == ErrorKind::RateLimited {
                        // Everyone on this account waits, not just this call.
                        let until = self.transport.now_ms() + ms;
                        lock(&self.shared.pacer).hold_until(until);
                    } else {
                        self.transport.sleep(ms).await;
                    }
                    retries += 1;
                }
            }
        }
    }

    /// When the latest request left (on the transport's clock), for timing its answer.
    pub(crate) fn last_departure_ms(&self) -> f64 {
        lock(&self.shared.pacer).last_departure()
    }

    /// Sends with retries and normalises the body as `expect` says.
    pub(crate) async fn fetch(
        &self,
        spec: &RequestSpec,
        expect: Expect,
    ) -> Result<Value, GraphApiError> {
        Ok(self
            .send(spec, Some(expect), Decode::Parse)
            .await?
            .into_value())
    }
}
