//! Reads JS option objects field by field (no serde derive in the wasm build: one small reader
//! instead of a decoder per options type keeps the module small), with messages that name the
//! option at fault. The TypeScript shapes come from the Rust option types.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{ClientOptions, TokenTransport};
use crate::core::error::GraphApiError;
use crate::core::proof::AppSecretProof;
use crate::core::request::{GetOptions, ListConversationsOptions, ListMessagesOptions, Platform};
use crate::sync::SyncOptions;

/// A JS options object (or `undefined`).
pub(crate) struct JsOptions<'a> {
    object: Option<&'a JsValue>,
    what: &'static str,
}

impl<'a> JsOptions<'a> {
    pub(crate) fn new(value: &'a JsValue, what: &'static str) -> Result<Self, GraphApiError> {
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

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, GraphApiError> {
        self.raw(key)
            .map(|v| v.as_string().ok_or_else(|| self.bad(key, "a string")))
            .transpose()
    }

    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>, GraphApiError> {
        self.raw(key)
            .map(|v| v.as_f64().ok_or_else(|| self.bad(key, "a number")))
            .transpose()
    }

    pub(crate) fn whole(&self, key: &str) -> Result<Option<i64>, GraphApiError> {
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
        match self.string("platform")?.as_deref() {
            None => Ok(None),
            Some("messenger") => Ok(Some(Platform::Messenger)),
            Some("instagram") => Ok(Some(Platform::Instagram)),
            Some(_) => Err(self.bad("platform", "\"messenger\" or \"instagram\"")),
        }
    }

    pub(crate) fn list_conversations(&self) -> Result<ListConversationsOptions, GraphApiError> {
        Ok(ListConversationsOptions {
            platform: self.platform()?,
            user_id: self.string("userId")?,
            folder: self.string("folder")?,
            limit: self.whole("limit")?,
            after: self.string("after")?,
            before: self.string("before")?,
            fields: self.string_list("fields")?,
        })
    }

    pub(crate) fn list_messages(&self) -> Result<ListMessagesOptions, GraphApiError> {
        Ok(ListMessagesOptions {
            limit: self.whole("limit")?,
            after: self.string("after")?,
            before: self.string("before")?,
            fields: self.string_list("fields")?,
        })
    }

    pub(crate) fn get(&self) -> Result<GetOptions, GraphApiError> {
        Ok(GetOptions {
            fields: self.string_list("fields")?,
        })
    }

    pub(crate) fn sync(&self) -> Result<SyncOptions, GraphApiError> {
        let since = match self.raw("since") {
            None => None,
            Some(v) => Some(match (v.as_string(), v.as_f64()) {
                (Some(s), _) => s,
                (None, Some(n)) if n.fract() == 0.0 && n >= 0.0 => (n as i64).to_string(),
                _ => return Err(self.bad("since", "an ISO 8601 string or unix seconds")),
            }),
        };
        let small = |key: &str| -> Result<Option<u32>, GraphApiError> {
            match self.whole(key)? {
                Some(n) if !(1..=10_000).contains(&n) => {
                    Err(self.bad(key, "a positive whole number"))
                }
                other => Ok(other.map(|n| n as u32)),
            }
        };
        Ok(SyncOptions {
            platform: self.platform()?,
            since,
            details_per_conversation: small("detailsPerConversation")?,
            concurrency: small("concurrency")?,
            checkpoint: self.string("checkpoint")?,
            page_size: small("pageSize")?,
        })
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

    pub(crate) fn client(&self) -> Result<ClientOptions, GraphApiError> {
        let proof = match self.raw("appSecretProof") {
            None => None,
            Some(p) => {
                let p = JsOptions::new(&p, "appSecretProof")?;
                Some(AppSecretProof {
                    proof: p
                        .string("proof")?
                        .ok_or_else(|| p.bad("proof", "a string"))?,
                    time: p
                        .whole("time")?
                        .ok_or_else(|| p.bad("time", "unix seconds"))?,
                })
            }
        };
        let token_transport = match self.string("tokenTransport")?.as_deref() {
            None => None,
            Some("header") => Some(TokenTransport::Header),
            Some("query") => Some(TokenTransport::Query),
            Some(_) => return Err(self.bad("tokenTransport", "\"header\" or \"query\"")),
        };
        let max_retries = match self.whole("maxRetries")? {
            Some(n) if !(0..=20).contains(&n) => return Err(self.bad("maxRetries", "0 to 20")),
            other => other.map(|n| n as u32),
        };
        Ok(ClientOptions {
            access_token: self
                .string("accessToken")?
                .ok_or_else(|| self.bad("accessToken", "a string"))?
                .into(),
            api_version: self.string("apiVersion")?,
            base_url: self.string("baseUrl")?,
            app_secret_proof: proof,
            max_retries,
            requests_per_second: self.number("requestsPerSecond")?,
            timeout_ms: self.number("timeoutMs")?,
            token_transport,
        })
    }
}
