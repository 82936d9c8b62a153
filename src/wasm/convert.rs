//! Values across the boundary: Rust results to plain JS objects, failures to `GraphApiError`,
//! and the few JS arguments that are not option objects.

use std::future::Future;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::client::Body;
use crate::core::error::GraphApiError;

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = createGraphApiError)]
    fn create_graph_api_error(message: &str, fields: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isAbortSignal)]
    fn is_abort_signal(value: &JsValue) -> bool;
}

/// A failure as the one JS `GraphApiError` class.
pub(crate) fn to_js_error(err: GraphApiError) -> JsValue {
    let fields = to_js(&err).unwrap_or(JsValue::UNDEFINED);
    create_graph_api_error(&err.message, fields)
}

/// A body as a plain JS object: a verbatim body is parsed straight from its text by the
/// engine (`core::verbatim`), a parsed one is converted.
pub(crate) fn body_to_js(body: &Body) -> Result<JsValue, GraphApiError> {
    match body {
        Body::Verbatim(text, _) => js_sys::JSON::parse(text)
            .map_err(|_| GraphApiError::invalid_response(200, "cannot decode JSON")),
        Body::Parsed(value) => to_js(value),
    }
}

/// Rust value to plain JS object. Going through JSON text and the engine's `JSON.parse` is much
/// faster than building objects field by field across the boundary.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, GraphApiError> {
    let text = serde_json::to_string(value)
        .map_err(|e| GraphApiError::invalid_response(200, format!("cannot encode: {e}")))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| GraphApiError::invalid_response(200, "cannot decode JSON"))
}

/// The id argument of an operation (`what` names it in the error).
pub(crate) fn id_arg(value: &JsValue, what: &str) -> Result<String, GraphApiError> {
    value
        .as_string()
        .ok_or_else(|| GraphApiError::invalid_argument(format!("{what} must be a string")))
}

/// The caller's `signal`, if any; anything else there is a mistake worth reporting.
pub(crate) fn signal_of(options: &JsValue) -> Result<Option<AbortSignal>, GraphApiError> {
    if !options.is_object() {
        return Ok(None);
    }
    let signal = js_sys::Reflect::get(options, &JsValue::from_str("signal")).unwrap_or_default();
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    if !is_abort_signal(&signal) {
        return Err(GraphApiError::invalid_argument(
            "signal must be an AbortSignal",
        ));
    }
    Ok(Some(signal.unchecked_into()))
}

/// Runs an operation as a Promise: JS value on success, `GraphApiError` on failure.
pub(crate) fn promise<F>(work: F) -> js_sys::Promise
where
    F: Future<Output = Result<JsValue, GraphApiError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(to_js_error) })
}
