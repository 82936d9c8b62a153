//! `ClientOptions` as users write them, and the validated `Config` a client runs with.

use serde::{Deserialize, Serialize};
use serde_with_macros::skip_serializing_none;

use crate::core::error::GraphApiError;
use crate::core::models::MESSAGE;
use crate::core::proof::AppSecretProof;
use crate::core::retry::RetryPolicy;
use crate::core::secret::Secret;

/// The latest Graph API version this package knows.
pub const DEFAULT_API_VERSION: &str = "v26.0";
/// The Graph host for Page tokens.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
/// Meta's Conversations API limit: 2 calls per second per Page or Instagram account.
pub const DEFAULT_REQUESTS_PER_SECOND: f64 = 2.0;
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

/// What a client uses when its options leave a setting out, for dashboards that show them
/// (`clientDefaults()` in JS).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ClientDefaults {
    /// The Graph API version.
    pub api_version: &'static str,
    /// The Graph host.
    pub base_url: &'static str,
    /// The pace per Page or Instagram account.
    pub requests_per_second: f64,
    /// Per request.
    pub timeout_ms: f64,
    /// Retries of transient and throttling failures.
    pub max_retries: u32,
    /// The message fields `getMessage` asks for when none are named.
    pub message_fields: Vec<&'static str>,
}

impl ClientDefaults {
    /// The defaults of this version of the package.
    ///
    /// ```no_run
    /// let defaults = graph_conversations::ClientDefaults::get();
    /// assert_eq!(defaults.requests_per_second, 2.0);
    /// ```
    pub fn get() -> Self {
        ClientDefaults {
            api_version: DEFAULT_API_VERSION,
            base_url: DEFAULT_BASE_URL,
            requests_per_second: DEFAULT_REQUESTS_PER_SECOND,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: RetryPolicy::default().max_retries,
            message_fields: MESSAGE.requested_fields().collect(),
        }
    }
}

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

impl TokenTransport {
    /// Parses the wire name (`"header"` or `"query"`).
    pub fn parse(name: &str) -> Result<TokenTransport, GraphApiError> {
        match name {
            "header" => Ok(TokenTransport::Header),
            "query" => Ok(TokenTransport::Query),
            _ => Err(GraphApiError::invalid_argument(
                "options.tokenTransport must be \"header\" or \"query\"",
            )),
        }
    }
}

/// Options of `new ConversationsClient(options)` / `Client::new`. Not `Serialize`: it holds the
/// token.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ClientOptions {
    /// A Page access token, or an Instagram user token for `graph.instagram.com`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub access_token: Secret,
    /// Default: the latest Graph version this package knows (`v26.0`).
    pub api_version: Option<String>,
    /// Default `https://graph.facebook.com`; `https://graph.instagram.com` for Instagram Login,
    /// or a proxy / local simulator. Requests go nowhere else.
    pub base_url: Option<String>,
    /// Precomputed on a server with `computeAppSecretProof`.
    pub app_secret_proof: Option<AppSecretProof>,
    /// Retries of transient and throttling failures (default 4).
    pub max_retries: Option<u32>,
    /// Pacing per Page / Instagram account (default 2, Meta's limit); 0 turns it off.
    pub requests_per_second: Option<f64>,
    /// Per request (default 30000).
    pub timeout_ms: Option<f64>,
    /// `"header"` (default) or `"query"`.
    pub token_transport: Option<TokenTransport>,
    /// Sends nothing before this time (unix ms): an earlier client's `next_call_at`, stored when
    /// it went away (a Durable Object evicted between alarms), so a new one keeps the pace.
    pub next_call_at: Option<f64>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) token: Secret,
    /// `scheme://host[:port][/prefix]`, no trailing slash.
    pub(crate) base_url: String,
    pub(crate) api_version: String,
    pub(crate) proof: Option<AppSecretProof>,
    pub(crate) retry: RetryPolicy,
    pub(crate) requests_per_second: f64,
    pub(crate) timeout_ms: f64,
    pub(crate) token_transport: TokenTransport,
}

impl Config {
    pub(crate) fn new(o: ClientOptions) -> Result<Config, GraphApiError> {
        let bad = GraphApiError::invalid_argument;
        let token = o.access_token;
        let raw = token.expose();
        if raw.trim().is_empty() || raw.chars().any(|c| c.is_control() || c == ' ') {
            return Err(bad("accessToken must be a non-empty token without spaces"));
        }
        if o.next_call_at.is_some_and(|at| !at.is_finite() || at < 0.0) {
            return Err(bad("nextCallAt must be unix milliseconds"));
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
        let requests_per_second = o.requests_per_second.unwrap_or(DEFAULT_REQUESTS_PER_SECOND);
        if !requests_per_second.is_finite() || requests_per_second < 0.0 {
            return Err(bad(
                "requestsPerSecond must be 0 (off) or a positive number",
            ));
        }
        let timeout_ms = o.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if !timeout_ms.is_finite() || timeout_ms <= 0.0 {
            return Err(bad("timeoutMs must be a positive number"));
        }
        let max_retries = o.max_retries.unwrap_or(RetryPolicy::default().max_retries);
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
