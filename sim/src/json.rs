//! A small ordered JSON value for Graph responses.
//!
//! Graph lists a node's fields in the order they were asked for. `serde_json::Map` sorts its
//! keys unless the `preserve_order` feature is on, and turning that on here would switch it on
//! for the client crate too (cargo unifies features across the workspace), so the simulator
//! builds its answers with this type instead.

use std::borrow::Cow;

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Bool(bool),
    Int(i64),
    Str(Cow<'static, str>),
    Arr(Vec<Json>),
    Obj(Obj),
}

/// A JSON object whose keys keep their insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Obj(Vec<(&'static str, Json)>);

impl Obj {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `key` unless it is already there (Graph answers a repeated field once).
    pub fn with(mut self, key: &'static str, value: impl Into<Json>) -> Self {
        self.put(key, value);
        self
    }

    pub fn put(&mut self, key: &'static str, value: impl Into<Json>) {
        if !self.has(key) {
            self.0.push((key, value.into()));
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| *k == key)
    }

    /// Keeps only the keys in `keep`, in their current order.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.0.retain(|(k, _)| keep(k));
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising this type cannot fail: every key is a string and there are no floats.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Json {
    /// Keeps only the chosen keys of an object, or of every item of a `{"data": [...]}` list:
    /// what a sub-selection such as `from{id}` or `participants{username}` asks for.
    pub fn select(mut self, keep: &dyn Fn(&str) -> bool) -> Json {
        if let Json::Obj(o) = &mut self {
            match o.get_mut("data") {
                Some(Json::Arr(items)) => {
                    for item in items {
                        if let Json::Obj(i) = item {
                            i.retain(keep);
                        }
                    }
                }
                _ => o.retain(keep),
            }
        }
        self
    }

    /// `{"data": items}`, Graph's shape for every list-valued field.
    pub fn data(items: Vec<Json>) -> Self {
        Json::Obj(Obj::new().with("data", Json::Arr(items)))
    }
}

impl From<bool> for Json {
    fn from(v: bool) -> Self {
        Json::Bool(v)
    }
}
impl From<i64> for Json {
    fn from(v: i64) -> Self {
        Json::Int(v)
    }
}
impl From<u32> for Json {
    fn from(v: u32) -> Self {
        Json::Int(i64::from(v))
    }
}
impl From<String> for Json {
    fn from(v: String) -> Self {
        Json::Str(Cow::Owned(v))
    }
}
impl From<&'static str> for Json {
    fn from(v: &'static str) -> Self {
        Json::Str(Cow::Borrowed(v))
    }
}
impl From<Cow<'static, str>> for Json {
    fn from(v: Cow<'static, str>) -> Self {
        Json::Str(v)
    }
}
impl From<Obj> for Json {
    fn from(v: Obj) -> Self {
        Json::Obj(v)
    }
}
impl From<Vec<Json>> for Json {
    fn from(v: Vec<Json>) -> Self {
        Json::Arr(v)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Int(i) => s.serialize_i64(*i),
            Json::Str(v) => s.serialize_str(v),
            Json::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(o) => o.serialize(s),
        }
    }
}

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_and_drops_repeats() {
        let o = Obj::new()
            .with("messages", Json::data(vec![]))
            .with("id", "t_1")
            .with("id", "t_2");
        assert_eq!(
            String::from_utf8(o.to_bytes()).unwrap(),
            r#"{"messages":{"data":[]},"id":"t_1"}"#
        );
    }
}
