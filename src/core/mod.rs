//! The pure core: everything that decides, builds, parses or classifies, and no I/O. It runs under
//! plain `cargo test` on the host and is shared by the Rust client and the wasm facade.

pub mod checkpoint;
pub mod error;
pub mod fields;
pub mod hmac;
pub mod ids;
pub mod idset;
pub mod inbox;
pub mod models;
pub mod operations;
pub mod options;
pub mod pacing;
pub mod paging;
pub mod proof;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;
pub mod redact;
pub mod request;
pub mod retry;
pub mod schema;
pub mod secret;
pub mod sizing;
pub mod sync;
pub mod time;
pub mod usage;
pub mod verbatim;
pub mod webhook;
