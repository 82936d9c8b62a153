//! Reads JS option objects field by field, with messages that name the option at fault (no
//! serde derive in the wasm build: one small reader instead of a decoder per options type keeps
//! the module small; see ARCHITECTURE.md). Each `FromJs` impl builds its Rust options type with
//! a full struct literal, so a field added on the Rust side does not compile until it is read
//! here, and `tests/wasm.rs` round-trips every fully populated options value through it. Only
//! types are converted here; ranges and names are checked in the core.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::webhooks::{KeptEvent, SyncedJson};
use crate::client::{ClientOptions, TokenTransport};
use crate::core::error::GraphApiError;
use crate::core::inbox::{InboxAccount, InboxOptions};
use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions, Platform,
};
use crate::core::proof::AppSecretProof;
use crate::sync::SyncOptions;

/// A JS options object (or `undefined`).
pub struct JsOptions<'a> {
    object: Option<&'a JsValue>,
    what: &'static str,
}

impl<'a> JsOptions<'a> {
    /// Wraps `value`, which must be an object, `undefined` or `null`.
    pub fn new(value: &'a JsValue, what: &'static str) -> Result<Self, GraphApiError> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsOptions { object: None, what });
        }
        if !value.is_object() || js_sys::Array::is_array(value) {
            return Err(GraphApiError::invalid_argument(format!(
                "{what} must be an object"
            )));
        }
        Ok(JsOptions {
            object: Some(value),
            what,
        })
    }

    fn bad(&self, key: &str, expected: &str) -> GraphApiError {
        GraphApiError::invalid_argument(format!("{}.{key} must be {expected}", self.what))
    }

    fn raw(&self, key: &str) -> Option<JsValue> {
        let v = js_sys::Reflect::get(self.object?, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    fn string(&self, key: &str) -> Result<Option<String>, GraphApiError> {
        self.raw(key)
            .map(|v| v.as_string().ok_or_else(|| self.bad(key, "a string")))
            .transpose()
    }

    fn number(&self, key: &str) -> Result<Option<f64>, GraphApiError> {
        self.raw(key)
            .map(|v| v.as_f64().ok_or_else(|| self.bad(key, "a number")))
            .transpose()
    }

    fn whole(&self, key: &str) -> Result<Option<i64>, GraphApiError> {
        match self.number(key)? {
            Some(n) if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9e15 => {
                Err(self.bad(key, "a whole number"))
            }
            other => Ok(other.map(|n| n as i64)),
        }
    }

    fn string_list(&self, key: &str) -> Result<Option<Vec<String>>, GraphApiError> {
        let Some(v) = self.raw(key) else {
            return Ok(None);
        };
        if !js_sys::Array::is_array(&v) {
            return Err(self.bad(key, "an array of strings"));
        }
        js_sys::Array::from(&v)
            .iter()
            .map(|item| {
                item.as_string()
                    .ok_or_else(|| self.bad(key, "an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn platform(&self) -> Result<Option<Platform>, GraphApiError> {
        let what = format!("{}.platform", self.what);
        self.string("platform")?
            .map(|name| Platform::parse(&name, &what))
            .transpose()
    }

    /// A whole number that fits `u32`; its range is the core's business.
    fn count(&self, key: &str) -> Result<Option<u32>, GraphApiError> {
        match self.whole(key)? {
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| self.bad(key, "a non-negative whole number")),
            None => Ok(None),
        }
    }

    fn required<T>(&self, key: &str, value: Option<T>, expected: &str) -> Result<T, GraphApiError> {
        value.ok_or_else(|| self.bad(key, expected))
    }

    /// An optional callback.
    pub(crate) fn function(&self, key: &str) -> Result<Option<js_sys::Function>, GraphApiError> {
        self.raw(key)
            .map(|v| {
                if v.is_function() {
                    Ok(v.unchecked_into())
                } else {
                    Err(self.bad(key, "a function"))
                }
            })
            .transpose()
    }
}

/// A Rust options type read from a JS options object.
pub trait FromJs: Sized {
    /// Reads every field; unknown keys are ignored, as JS callers expect.
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError>;
}

impl FromJs for ListConversationsOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(ListConversationsOptions {
            platform: o.platform()?,
            user_id: o.string("userId")?,
            folder: o.string("folder")?,
            limit: o.whole("limit")?,
            after: o.string("after")?,
            before: o.string("before")?,
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for ConversationsOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(ConversationsOptions {
            platform: o.platform()?,
            folder: o.string("folder")?,
            limit: o.whole("limit")?,
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for FindConversationOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(FindConversationOptions {
            platform: o.platform()?,
            user_id: o.required("userId", o.string("userId")?, "a string (required)")?,
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for GetOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(GetOptions {
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for ListMessagesOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(ListMessagesOptions {
            limit: o.whole("limit")?,
            after: o.string("after")?,
            before: o.string("before")?,
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for MessagesOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(MessagesOptions {
            limit: o.whole("limit")?,
            fields: o.string_list("fields")?,
        })
    }
}

impl FromJs for SyncOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        let since = match o.raw("since") {
            None => None,
            Some(v) => Some(match (v.as_string(), v.as_f64()) {
                (Some(s), _) => s,
                (None, Some(n)) if n.fract() == 0.0 && n >= 0.0 => (n as i64).to_string(),
                _ => return Err(o.bad("since", "an ISO 8601 string or unix seconds")),
            }),
        };
        Ok(SyncOptions {
            platform: o.platform()?,
            since,
            details_per_conversation: o.count("detailsPerConversation")?,
            concurrency: o.count("concurrency")?,
            checkpoint: o.string("checkpoint")?,
            page_size: o.count("pageSize")?,
            max_requests: o.count("maxRequests")?,
        })
    }
}

impl FromJs for AppSecretProof {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(AppSecretProof {
            proof: o.required("proof", o.string("proof")?, "a string")?,
            time: o.required("time", o.whole("time")?, "unix seconds")?,
        })
    }
}

impl FromJs for ClientOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        let app_secret_proof = match o.raw("appSecretProof") {
            None => None,
            Some(p) => Some(AppSecretProof::from_js(&JsOptions::new(
                &p,
                "appSecretProof",
            )?)?),
        };
        let token_transport = match o.string("tokenTransport")? {
            None => None,
            Some(name) => Some(TokenTransport::parse(&name)?),
        };
        Ok(ClientOptions {
            access_token: o
                .required("accessToken", o.string("accessToken")?, "a string")?
                .into(),
            api_version: o.string("apiVersion")?,
            base_url: o.string("baseUrl")?,
            app_secret_proof,
            max_retries: o.count("maxRetries")?,
            requests_per_second: o.number("requestsPerSecond")?,
            timeout_ms: o.number("timeoutMs")?,
            next_call_at: o.number("nextCallAt")?,
            token_transport,
        })
    }
}

impl<'a> JsOptions<'a> {
    /// A JSON value, through the engine's `JSON.stringify` (the fastest way across).
    fn json(&self, key: &str) -> Result<Option<serde_json::Value>, GraphApiError> {
        let Some(v) = self.raw(key) else {
            return Ok(None);
        };
        let text = js_sys::JSON::stringify(&v).ok().and_then(|t| t.as_string());
        let value = text.and_then(|t| serde_json::from_str(&t).ok());
        value.map(Some).ok_or_else(|| self.bad(key, "JSON"))
    }
}

impl FromJs for InboxOptions {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(InboxOptions {
            graph_lag_ms: o.whole("graphLagMs")?,
        })
    }
}

impl FromJs for InboxAccount {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        Ok(InboxAccount {
            platform: o.required("platform", o.platform()?, "\"messenger\" or \"instagram\"")?,
            account_id: o.required("accountId", o.string("accountId")?, "a string")?,
        })
    }
}

impl FromJs for KeptEvent {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        let from_receive = "from WebhookReceiver: a string";
        Ok(KeptEvent {
            platform: o.required("platform", o.platform()?, "\"messenger\" or \"instagram\"")?,
            account_id: o.required("accountId", o.string("accountId")?, from_receive)?,
            timestamp: o.required("timestamp", o.whole("timestamp")?, "unix milliseconds")?,
            standby: o.raw("standby").and_then(|v| v.as_bool()).unwrap_or(false),
            raw: o.required("raw", o.json("raw")?, "the event as Meta sent it")?,
        })
    }
}

impl FromJs for SyncedJson {
    fn from_js(o: &JsOptions) -> Result<Self, GraphApiError> {
        let messages = match o.json("messages")? {
            Some(serde_json::Value::Array(list)) => list,
            _ => return Err(o.bad("messages", "an array of messages")),
        };
        Ok(SyncedJson {
            conversation: o.required("conversation", o.json("conversation")?, "a conversation")?,
            messages,
            read_at: o.whole("readAt")?.unwrap_or(0),
        })
    }
}
