//! What the client needs from its environment: send a GET, sleep, tell the time, roll a die.
//! The wasm build ships `FetchTransport` (global `fetch`, for browsers, Workers, Deno, Node);
//! host code and tests plug in their own.

/// A request ready to send: an absolute URL on the configured `baseUrl` and its headers.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// Absolute URL on the configured `baseUrl`.
    pub url: String,
    /// Header names in lower case, with values.
    pub headers: Vec<(String, String)>,
    /// Abandon the request after this long (`ErrorKind::Timeout`).
    pub timeout_ms: Option<f64>,
}

/// A response as the transport received it.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no response came.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// No response (refused, reset, DNS, CORS ...). The text must not contain the URL's query.
    Network(String),
    /// No response within the request's `timeout_ms`.
    Timeout,
    /// The caller cancelled.
    Aborted,
}

/// The client's only link to the outside world.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one GET and returns whatever response came, any status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Resolves after `ms` milliseconds (or earlier when cancelled).
    async fn sleep(&self, ms: f64);
    /// Milliseconds on any monotonic-enough clock (only differences are used).
    fn now_ms(&self) -> f64;
    /// The wall clock, unix milliseconds: when a sync read Graph (`SyncedConversation::read_at`),
    /// which the merged inbox compares with webhook timestamps. The default is `now_ms`, for
    /// transports whose `now_ms` is already unix time.
    fn unix_ms(&self) -> f64 {
        self.now_ms()
    }
    /// Uniform in [0, 1), for retry jitter.
    fn random(&self) -> f64;
}
