//! Typed client for Meta's Conversations API (Messenger and Instagram threads via the Graph API).

pub mod core;

pub use crate::core::error::{ErrorKind, GraphApiError};
pub use crate::core::models::*;
pub use crate::core::usage::Usage;
