//! `Transport` for native Rust (servers, CLIs): reqwest for HTTP, tokio for time.
//!
//! reqwest comes without TLS features here so the crate does not choose a TLS stack for you:
//! enable one on your own reqwest dependency (`features = ["rustls-tls"]`, say) and cargo's
//! feature unification gives this transport HTTPS for `graph.facebook.com`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// reqwest + tokio. Cancel a call by dropping its future.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    started: Instant,
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        Self::new(reqwest::Client::new())
    }
}

impl ReqwestTransport {
    /// With your own client (connection pool, proxy, TLS settings).
    pub fn new(http: reqwest::Client) -> Self {
        ReqwestTransport {
            http,
            started: Instant::now(),
        }
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = self.http.get(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(ms) = request.timeout_ms {
            builder = builder.timeout(Duration::from_secs_f64(ms / 1000.0));
        }
        // `without_url`: the URL may carry the token (tokenTransport "query").
        let failure = |e: reqwest::Error| {
            if e.is_timeout() {
                TransportError::Timeout
            } else {
                TransportError::Network(e.without_url().to_string())
            }
        };
        let response = builder.send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = response.bytes().await.map_err(failure)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, ms: f64) {
        tokio::time::sleep(Duration::from_secs_f64(ms.max(0.0) / 1000.0)).await;
    }

    fn now_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    fn unix_ms(&self) -> f64 {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        since_epoch.as_secs_f64() * 1000.0
    }

    fn random(&self) -> f64 {
        // std's per-process random keys; jitter needs nothing stronger.
        let bits = RandomState::new().build_hasher().finish();
        (bits >> 11) as f64 / (1u64 << 53) as f64
    }
}
