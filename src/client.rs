//! The client: carries out what the core decides (requests, paging, retries, pacing) over a
//! `Transport`. Shared state sits behind an `Arc`, so clones and per-call transports (one per
//! `AbortSignal` in the wasm build) pace and report usage together.

use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::check;
use crate::core::error::{classify_error, ErrorKind, GraphApiError};
use crate::core::models::{Conversation, Message, Page};
use crate::core::models::{CONVERSATION, MESSAGE};
use crate::core::pacing::Pacer;
use crate::core::paging::{strip_tokens_in, Pager};
use crate::core::proof::AppSecretProof;
use crate::core::request::{self, RequestSpec};
use crate::core::retry::{Decision, RetryPolicy};
use crate::core::schema::{self, Schema};
use crate::core::secret::Secret;
use crate::core::usage::Usage;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// The latest Graph API version this package knows.
pub const DEFAULT_API_VERSION: &str = "v26.0";
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// How the access token travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum TokenTransport {
    /// `Authorization: Bearer <token>`: never in a URL.
    #[default]
    Header,
    /// `access_token=` in the query, for hosts or proxies that refuse the header.
    Query,
}

/// Options of `new ConversationsClient(options)` / `Client::new`. Not `Serialize`: it holds the
/// token.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ClientOptions {
    /// A Page access token, or an Instagram user token for `graph.instagram.com`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub access_token: Secret,
    /// Default: the latest Graph version this package knows (`v26.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Default `https://graph.facebook.com`; `https://graph.instagram.com` for Instagram Login,
    /// or a proxy / local simulator. Requests go nowhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Precomputed on a server with `computeAppSecretProof`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret_proof: Option<AppSecretProof>,
    /// Retries of transient and throttling failures (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// Pacing per Page / Instagram account (default 2, Meta's limit); 0 turns it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_second: Option<f64>,
    /// Per request (default 30000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<f64>,
    /// `"header"` (default) or `"query"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_transport: Option<TokenTransport>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
struct Config {
    token: Secret,
    /// `scheme://host[:port][/prefix]`, no trailing slash.
    base_url: String,
    api_version: String,
    proof: Option<AppSecretProof>,
    retry: RetryPolicy,
    requests_per_second: f64,
    timeout_ms: f64,
    token_transport: TokenTransport,
}

impl Config {
    fn new(o: ClientOptions) -> Result<Config, GraphApiError> {
        let bad = GraphApiError::invalid_argument;
        let token = o.access_token;
        let raw = token.expose();
        if raw.trim().is_empty() || raw.chars().any(|c| c.is_control() || c == ' ') {
            return Err(bad("accessToken must be a non-empty token without spaces"));
        }
        let base_url = o
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        let rest = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
            .ok_or_else(|| bad("baseUrl must start with https:// or http://"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty()
            || base_url.contains(['?', '#', '@', ' '])
            || base_url.chars().any(|c| c.is_control())
        {
            return Err(bad(
                "baseUrl must be scheme://host[:port][/path] without query, fragment or credentials",
            ));
        }
        let api_version = o
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let valid_version = api_version
            .strip_prefix('v')
            .and_then(|v| v.split_once('.'))
            .is_some_and(|(major, minor)| {
                !major.is_empty()
                    && !minor.is_empty()
                    && major
                        .bytes()
                        .chain(minor.bytes())
                        .all(|b| b.is_ascii_digit())
            });
        if !valid_version {
            return Err(GraphApiError::invalid_argument(format!(
                "apiVersion must look like \"v26.0\", got \"{api_version}\""
            )));
        }
        let requests_per_second = o.requests_per_second.unwrap_or(2.0);
        if !requests_per_second.is_finite() || requests_per_second < 0.0 {
            return Err(bad(
                "requestsPerSecond must be 0 (off) or a positive number",
            ));
        }
        let timeout_ms = o.timeout_ms.unwrap_or(30_000.0);
        if !timeout_ms.is_finite() || timeout_ms <= 0.0 {
            return Err(bad("timeoutMs must be a positive number"));
        }
        let max_retries = o.max_retries.unwrap_or(4);
        if max_retries > 20 {
            return Err(bad("maxRetries must be at most 20"));
        }
        if let Some(p) = &o.app_secret_proof {
            if p.proof.is_empty() || !p.proof.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad("appSecretProof.proof must be the hex HMAC"));
            }
        }
        Ok(Config {
            token,
            base_url,
            api_version,
            proof: o.app_secret_proof,
            retry: RetryPolicy {
                max_retries,
                ..RetryPolicy::default()
            },
            requests_per_second,
            timeout_ms,
            token_transport: o.token_transport.unwrap_or_default(),
        })
    }
}

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
    pub fn new(options: ClientOptions, transport: T) -> Result<Self, GraphApiError> {
        let config = Config::new(options)?;
        Ok(Client {
            shared: Arc::new(Shared {
                pacer: Mutex::new(Pacer::new(config.requests_per_second)),
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

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn stats(&self) -> ClientStats {
        *lock(&self.shared.stats)
    }

    /// The last rate-limit usage Graph reported.
    pub fn usage(&self) -> Option<Usage> {
        lock(&self.shared.usage).clone()
    }

    pub fn base_url(&self) -> &str {
        &self.shared.config.base_url
    }

    fn http_request(&self, spec: &RequestSpec) -> HttpRequest {
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
            timeout_ms: Some(c.timeout_ms),
        }
    }

    /// One attempt: paced, sent, classified. Graph's body comes back token-free.
    async fn attempt(&self, spec: &RequestSpec) -> Result<HttpResponse, GraphApiError> {
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
        let response = self
            .transport
            .send(self.http_request(spec))
            .await
            .map_err(|e| match e {
                TransportError::Network(m) => {
                    GraphApiError::new(ErrorKind::Network, format!("network error: {m}"))
                }
                TransportError::Timeout => GraphApiError::new(
                    ErrorKind::Timeout,
                    format!(
                        "no response within {} ms",
                        self.shared.config.timeout_ms as u64
                    ),
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

    /// Sends with retries and decodes: checked and passed through as text when `fast` and the
    /// body is already normal, else parsed (and normalised as `expect` says). Decoding failures
    /// are retried like any other (an error envelope in a 200 may be transient). One function
    /// for every read keeps a single retry state machine in the wasm build.
    async fn get_fetched(
        &self,
        spec: &RequestSpec,
        expect: Option<Expect>,
        fast: bool,
    ) -> Result<Fetched, GraphApiError> {
        let token = self.shared.config.token.expose();
        let decode = |response: &HttpResponse| {
            if let (true, Some(expect)) = (fast, expect) {
                let (schema, page) = match expect {
                    Expect::Object(s) => (s, false),
                    Expect::Page(s) => (s, true),
                };
                if let Some(summary) = check::conforming(&response.body, schema, page) {
                    if let Some(text) = check::strip_token_text(&response.body, token) {
                        return Ok(Fetched::Text(text, summary));
                    }
                }
            }
            let body = parse_body(response)?;
            match expect {
                Some(expect) => normalized(body, expect).map(Fetched::Value),
                None => Ok(Fetched::Value(body)),
            }
        };
        let mut retries = 0;
        loop {
            let err = match self.attempt(spec).await.and_then(|r| decode(&r)) {
                Ok(body) => return Ok(body),
                Err(err) => err.redact(token),
            };
            if err.kind == ErrorKind::RateLimited {
                lock(&self.shared.stats).throttled += 1;
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

    /// Sends with retries; the body as JSON, token-free.
    pub async fn get_value(&self, spec: &RequestSpec) -> Result<Value, GraphApiError> {
        Ok(self.get_fetched(spec, None, false).await?.into_value())
    }

    /// Sends with retries and normalises the body as `expect` says.
    pub async fn fetch(&self, spec: &RequestSpec, expect: Expect) -> Result<Value, GraphApiError> {
        Ok(self
            .get_fetched(spec, Some(expect), false)
            .await?
            .into_value())
    }

    /// Like `fetch`, but a body that is already normal comes back as its own text (token cut
    /// out), unparsed: the cheapest way to hand it to JS (see `core::check`).
    pub async fn fetch_fast(
        &self,
        spec: &RequestSpec,
        expect: Expect,
    ) -> Result<Fetched, GraphApiError> {
        self.get_fetched(spec, Some(expect), true).await
    }
}

/// A body fetched by `fetch_fast`.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// Normal already: the response text, token-free, with what a pager needs.
    Text(String, check::PageSummary),
    /// Normalised.
    Value(Value),
}

impl Fetched {
    /// The body as JSON (a `Text` body is parsed).
    pub fn into_value(self) -> Value {
        match self {
            Fetched::Value(v) => v,
            Fetched::Text(text, _) => serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// The page's `paging`, as far as a pager reads it.
    pub fn paging(&self) -> Option<Value> {
        match self {
            Fetched::Value(v) => v.get("paging").cloned(),
            Fetched::Text(_, summary) => {
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

fn parse_body(response: &HttpResponse) -> Result<Value, GraphApiError> {
    let status = response.status;
    let mut body: Value = serde_json::from_slice(&response.body).map_err(|e| {
        GraphApiError::invalid_response(status, format!("response is not valid JSON: {e}"))
    })?;
    if body.get("error").is_some_and(Value::is_object) {
        return Err(classify_error(status, &response.body, None));
    }
    strip_tokens_in(&mut body);
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

impl<T: Transport> Client<T> {
    async fn fetch_typed<R: DeserializeOwned>(
        &self,
        spec: &RequestSpec,
        expect: Expect,
    ) -> Result<R, GraphApiError> {
        typed(self.fetch(spec, expect).await?)
    }

    pub async fn list_conversations(
        &self,
        page_id: &str,
        options: &request::ListConversationsOptions,
    ) -> Result<Page<Conversation>, GraphApiError> {
        let spec = request::list_conversations(page_id, options)?;
        self.fetch_typed(&spec, Expect::Page(&CONVERSATION)).await
    }

    /// Every thread, page after page.
    pub fn conversations(
        &self,
        page_id: &str,
        options: &request::ConversationsOptions,
    ) -> Result<Paginated<T, Conversation>, GraphApiError>
    where
        T: Clone,
    {
        let first = request::conversations(page_id, options)?;
        Ok(Paginated::new(self.clone(), first, &CONVERSATION))
    }

    /// The thread with one person, or `None` when there is none.
    pub async fn find_conversation(
        &self,
        page_id: &str,
        options: &request::FindConversationOptions,
    ) -> Result<Option<Conversation>, GraphApiError> {
        let spec = request::find_conversation(page_id, options)?;
        let page: Page<Conversation> = self.fetch_typed(&spec, Expect::Page(&CONVERSATION)).await?;
        Ok(page.data.into_iter().next())
    }

    pub async fn get_conversation(
        &self,
        conversation_id: &str,
        options: &request::GetOptions,
    ) -> Result<Conversation, GraphApiError> {
        let spec = request::get_conversation(conversation_id, options)?;
        self.fetch_typed(&spec, Expect::Object(&CONVERSATION)).await
    }

    pub async fn list_messages(
        &self,
        conversation_id: &str,
        options: &request::ListMessagesOptions,
    ) -> Result<Page<Message>, GraphApiError> {
        let spec = request::list_messages(conversation_id, options)?;
        self.fetch_typed(&spec, Expect::Page(&MESSAGE)).await
    }

    /// Every message of a thread, newest first, page after page.
    pub fn messages(
        &self,
        conversation_id: &str,
        options: &request::MessagesOptions,
    ) -> Result<Paginated<T, Message>, GraphApiError>
    where
        T: Clone,
    {
        let first = request::messages(conversation_id, options)?;
        Ok(Paginated::new(self.clone(), first, &MESSAGE))
    }

    /// A message's details; `ErrorKind::MessageUnavailable` outside the newest 20 of its thread.
    pub async fn get_message(
        &self,
        message_id: &str,
        options: &request::GetOptions,
    ) -> Result<Message, GraphApiError> {
        let spec = request::get_message(message_id, options)?;
        self.fetch_typed(&spec, Expect::Object(&MESSAGE)).await
    }
}

/// What a response must be.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    Object(&'static Schema),
    Page(&'static Schema),
}

fn typed<R: DeserializeOwned>(value: Value) -> Result<R, GraphApiError> {
    serde_json::from_value(value)
        .map_err(|e| GraphApiError::invalid_response(200, format!("cannot decode: {e}")))
}

/// Items of a list across pages. Pages are fetched one at a time, on demand.
#[derive(Debug)]
pub struct Paginated<T, I> {
    client: Client<T>,
    pager: Pager,
    items: &'static Schema,
    buffer: std::collections::VecDeque<I>,
}

impl<T: Transport, I: DeserializeOwned> Paginated<T, I> {
    /// A walk starting at `first`, whose items are objects of `items`.
    pub fn new(client: Client<T>, first: RequestSpec, items: &'static Schema) -> Self {
        Paginated {
            client,
            pager: Pager::new(first),
            items,
            buffer: Default::default(),
        }
    }

    /// The next whole page, as its own text when `fast` and it is already normal (see
    /// `Client::fetch_fast`), or `None` after the last.
    pub async fn next_page_fetched(
        &mut self,
        fast: bool,
    ) -> Result<Option<Fetched>, GraphApiError> {
        let Some(spec) = self.pager.next_request().cloned() else {
            return Ok(None);
        };
        let expect = Some(Expect::Page(self.items));
        let page = self.client.get_fetched(&spec, expect, fast).await?;
        self.pager.advance(page.paging().as_ref());
        Ok(Some(page))
    }

    /// The next whole page as normalised JSON, or `None` after the last.
    pub async fn next_page_value(&mut self) -> Result<Option<Value>, GraphApiError> {
        Ok(self
            .next_page_fetched(false)
            .await?
            .map(Fetched::into_value))
    }

    /// The next whole page, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Page<I>>, GraphApiError> {
        self.next_page_value().await?.map(typed).transpose()
    }

    /// The next item, or `None` after the last. Empty pages with `next` are skipped.
    pub async fn next_item(&mut self) -> Result<Option<I>, GraphApiError> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(page) => self.buffer.extend(page.data),
                None => return Ok(None),
            }
        }
    }

    /// Up to `limit` items.
    pub async fn collect(&mut self, limit: usize) -> Result<Vec<I>, GraphApiError> {
        let mut out = Vec::new();
        while out.len() < limit {
            match self.next_item().await? {
                Some(item) => out.push(item),
                None => break,
            }
        }
        Ok(out)
    }
}
