//! A set of ids (cursors, conversation and message ids).

use serde_json::{Map, Value};

/// A set of strings, stored in the JSON object map the decoder already uses, so the wasm build
/// carries one ordered-map implementation (see "The size budget" in ARCHITECTURE.md).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdSet(Map<String, Value>);

impl IdSet {
    pub fn new() -> Self {
        IdSet(Map::new())
    }

    /// `true` when `id` was not in the set yet.
    pub fn insert(&mut self, id: &str) -> bool {
        self.0.insert(id.to_owned(), Value::Null).is_none()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }
}

impl<'a> FromIterator<&'a String> for IdSet {
    fn from_iter<I: IntoIterator<Item = &'a String>>(ids: I) -> Self {
        let mut set = IdSet::new();
        for id in ids {
            set.insert(id);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_set() {
        let mut s = IdSet::new();
        assert!(s.insert("b"));
        assert!(s.insert("a"));
        assert!(!s.insert("a"));
        assert!(s.contains("a") && !s.contains("c"));
        assert_eq!(s.iter().cloned().collect::<Vec<_>>(), ["a", "b"]);
    }
}
