//! The JS facade: converts JS values into core options, runs the Rust client, and converts
//! results into plain JS objects and failures into `GraphApiError`. Nothing here builds a request
//! or decides anything, and nothing panics on bad input: every conversion failure becomes an
//! `invalid_argument` rejection.
//!
//! `client` is the exported class, `options` reads JS option objects, `convert` crosses the
//! boundary, `stream` and `sync` serve lists page by page, `fetch` is the transport, and
//! `typescript` declares what wasm-bindgen cannot generate.

mod client;
mod convert;
mod fetch;
mod options;
mod stream;
mod sync;
mod typescript;
mod webhooks;

pub use client::ConversationsClient;
pub use fetch::FetchTransport;

/// For tests only: the JS option reader, so a test can pin it to the Rust option types.
#[doc(hidden)]
pub mod __test_support {
    pub use super::options::{FromJs, JsOptions};
}
