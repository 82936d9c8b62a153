//! `Transport` over the global `fetch` (gloo-net), so it works with no `window`: browsers,
//! web workers, Cloudflare Workers, Deno and Node.

use gloo_net::http::{Method, RequestBuilder};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = sleep)]
    fn js_sleep(ms: f64, signal: Option<&AbortSignal>) -> js_sys::Promise;
}

/// Fetch-based transport; `signal` cancels every request made through it and cuts short its
/// waits, so an aborted call ends within one request.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    signal: Option<AbortSignal>,
}

impl FetchTransport {
    /// A transport whose requests and waits `signal` cancels.
    pub fn new(signal: Option<AbortSignal>) -> Self {
        FetchTransport { signal }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(TransportError::Aborted);
        }
        let timeout = request
            .timeout_ms
            .map(|ms| AbortSignal::timeout_with_u32(ms.clamp(1.0, u32::MAX as f64) as u32));
        let signals: js_sys::Array = self.signal.iter().chain(timeout.iter()).collect();
        let combined = match signals.length() {
            0 => None,
            _ => Some(AbortSignal::any(&signals)),
        };
        // Tells apart the caller's abort, our timeout and a plain network failure.
        let failure = |e: String| {
            if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
                TransportError::Aborted
            } else if timeout.as_ref().is_some_and(AbortSignal::aborted) {
                TransportError::Timeout
            } else {
                TransportError::Network(e)
            }
        };
        let mut builder = RequestBuilder::new(&request.url).method(Method::GET);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .abort_signal(combined.as_ref())
            .send()
            .await
            .map_err(|e| failure(e.to_string()))?;
        let status = response.status();
        let headers = response
            .headers()
            .entries()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let body = response
            .binary()
            .await
            .map_err(|e| failure(e.to_string()))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, ms: f64) {
        // A rejected or interrupted timer only ends the wait early.
        let _ = JsFuture::from(js_sleep(ms, self.signal.as_ref())).await;
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
