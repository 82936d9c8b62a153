//! The client: carries out what the core decides (requests, paging, retries, pacing) over a
//! `Transport`. Shared state sits behind an `Arc`, so clones and per-call transports (one per
//! `AbortSignal` in the wasm build) pace and report usage together.
//!
//! `config` validates options, `send` runs one request with retries, `decode` turns bodies into
//! values, `operations` are the public calls, `paginated` walks lists.

mod config;
mod decode;
mod operations;
mod paginated;
mod send;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use std::sync::{Arc, Mutex};

pub use config::{
    ClientDefaults, ClientOptions, TokenTransport, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
    DEFAULT_REQUESTS_PER_SECOND,
};
#[cfg(target_arch = "wasm32")]
pub(crate) use decode::Body;
pub(crate) use decode::Decode;
pub use paginated::Paginated;
pub(crate) use send::Retries;

use crate::core::error::GraphApiError;
use crate::core::pacing::Pacer;
use crate::core::usage::Usage;
use crate::transport::Transport;
use config::Config;

#[derive(Debug)]
struct Shared {
    config: Config,
    pacer: Mutex<Pacer>,
    usage: Mutex<Option<Usage>>,
    stats: Mutex<ClientStats>,
}

/// What this client (and its clones) has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClientStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Responses that said the rate limit was hit.
    pub throttled: u64,
    /// Wall-clock time during which some request waited for the pace or for Graph's throttle
    /// to lift (overlapping waits of parallel requests count once).
    pub rate_limit_wait_ms: f64,
    /// The end of the last counted wait.
    waiting_until: f64,
}

/// A Conversations API client over a transport.
#[derive(Debug)]
pub struct Client<T> {
    shared: Arc<Shared>,
    transport: T,
}

impl<T: Clone> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client {
            shared: self.shared.clone(),
            transport: self.transport.clone(),
        }
    }
}

fn lock<V>(m: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    // A poisoned lock only means another call panicked mid-update; the data is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<T: Transport> Client<T> {
    /// A client with validated options over `transport`; bad options are `invalid_argument`.
    ///
    /// ```no_run
    /// use graph_conversations::{Client, ClientOptions, ReqwestTransport};
    /// let client = Client::new(
    ///     ClientOptions {
    ///         access_token: std::env::var("PAGE_TOKEN").unwrap().into(),
    ///         ..Default::default()
    ///     },
    ///     ReqwestTransport::default(),
    /// )?;
    /// # Ok::<(), graph_conversations::GraphApiError>(())
    /// ```
    pub fn new(options: ClientOptions, transport: T) -> Result<Self, GraphApiError> {
        let next_call_at = options.next_call_at;
        let config = Config::new(options)?;
        let mut pacer = Pacer::new(config.requests_per_second);
        if let Some(at) = next_call_at {
            // From the wall clock to the transport's.
            pacer.hold_until(transport.now_ms() + at - transport.unix_ms());
        }
        Ok(Client {
            shared: Arc::new(Shared {
                pacer: Mutex::new(pacer),
                usage: Mutex::new(None),
                stats: Mutex::new(ClientStats::default()),
                config,
            }),
            transport,
        })
    }

    /// The same client (shared pacing and usage) over another transport.
    pub fn with_transport<U: Transport>(&self, transport: U) -> Client<U> {
        Client {
            shared: self.shared.clone(),
            transport,
        }
    }

    /// The transport this client sends through.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Requests, throttling and waits so far, counted over this client and its clones.
    pub fn stats(&self) -> ClientStats {
        *lock(&self.shared.stats)
    }

    /// The last rate-limit usage Graph reported.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// client.list_messages("t_1", &Default::default()).await?;
    /// if let Some(usage) = client.usage() {
    ///     println!("{:.0}% of the allowance used", usage.max_percent());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn usage(&self) -> Option<Usage> {
        lock(&self.shared.usage).clone()
    }

    /// When the next request may go at the earliest (unix ms, never before now): store it where
    /// a later client reads it back as `next_call_at`, to keep the pace across instances.
    pub fn next_call_at(&self) -> f64 {
        let (now, unix) = (self.transport.now_ms(), self.transport.unix_ms());
        unix + lock(&self.shared.pacer).next_free(now) - now
    }

    /// The configured `baseUrl`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.config.base_url
    }
}
