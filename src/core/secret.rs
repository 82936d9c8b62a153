//! A value that must never be printed: access tokens (and anything else that authenticates).
//! `Debug` and `Display` write `[redacted]`, and the type is deliberately not `Serialize`, so
//! `println!("{client:?}")`, `tracing::debug!(?options)` or `serde_json::to_string` of a type
//! holding one cannot leak it. Read it with [`Secret::expose`] where it is really sent.

use std::fmt;

/// A token or other secret string; see the module docs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    ///
    /// ```no_run
    /// let token = graph_conversations::Secret::new("EAAB...");
    /// assert_eq!(format!("{token:?}"), "Secret([redacted])");
    /// assert_eq!(token.expose(), "EAAB...");
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Read from configuration files and JSON like a plain string.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let s = Secret::new("EAAB-very-secret");
        for shown in [format!("{s:?}"), format!("{s:#?}"), format!("{s}")] {
            assert!(!shown.contains("very-secret"), "{shown}");
        }
        assert_eq!(s.expose(), "EAAB-very-secret");
    }
}
