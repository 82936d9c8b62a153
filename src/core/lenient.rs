//! Decoding that never rejects a whole response for one odd field. Each typed field accepts the
//! drift seen in real payloads (numbers as strings, ids as numbers, unix timestamps, lists without
//! their `{data: [...]}` wrapper, nulls); what still cannot be typed is kept verbatim in the
//! object's `unparsed` map, and fields the types do not know are kept in `extra`.

use serde_json::{Map, Value};

use crate::core::time::format_graph_time;

/// A value decoded leniently: the typed part, and the raw remainder that could not be typed.
pub trait Lenient: Sized {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>);
}

impl Lenient for String {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        match v {
            Value::String(s) => (Some(s), None),
            Value::Number(n) => (Some(n.to_string()), None),
            Value::Null => (None, None),
            other => (None, Some(other)),
        }
    }
}

impl Lenient for i64 {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        let parsed = match &v {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => return (None, None),
            _ => None,
        };
        match parsed {
            Some(n) => (Some(n), None),
            None => (None, Some(v)),
        }
    }
}

impl Lenient for f64 {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        let parsed = match &v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => return (None, None),
            _ => None,
        };
        match parsed {
            Some(n) => (Some(n), None),
            None => (None, Some(v)),
        }
    }
}

impl Lenient for bool {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        let parsed = match &v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(s) => match s.as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            Value::Null => return (None, None),
            _ => None,
        };
        match parsed {
            Some(b) => (Some(b), None),
            None => (None, Some(v)),
        }
    }
}

impl Lenient for Value {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        match v {
            Value::Null => (None, None),
            v => (Some(v), None),
        }
    }
}

/// A list keeps every element it can type; the others come back as the remainder.
impl<T: Lenient> Lenient for Vec<T> {
    fn from_value(v: Value) -> (Option<Self>, Option<Value>) {
        let items = match v {
            Value::Array(items) => items,
            Value::Null => return (None, None),
            // A single object where a list belongs: a list of one.
            single @ Value::Object(_) => vec![single],
            other => return (None, Some(other)),
        };
        let mut typed = Vec::with_capacity(items.len());
        let mut rest = Vec::new();
        for item in items {
            let (t, r) = T::from_value(item);
            typed.extend(t);
            rest.extend(r);
        }
        (Some(typed), (!rest.is_empty()).then_some(Value::Array(rest)))
    }
}

/// A Graph timestamp; unix seconds (number or digits) become Graph's ISO form.
pub fn timestamp(v: Value) -> (Option<String>, Option<Value>) {
    let unix = match &v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    };
    match unix.and_then(format_graph_time) {
        Some(iso) => (Some(iso), None),
        None => String::from_value(v),
    }
}

/// Reads one JSON object field by field; what is left becomes `extra`, failures `unparsed`.
pub struct ObjectReader {
    map: Map<String, Value>,
    unparsed: Map<String, Value>,
}

impl ObjectReader {
    /// `Err` gives the value back when it is not an object.
    pub fn new(v: Value) -> Result<Self, Value> {
        match v {
            Value::Object(map) => Ok(ObjectReader {
                map,
                unparsed: Map::new(),
            }),
            other => Err(other),
        }
    }

    pub fn with<T>(&mut self, key: &str, decode: fn(Value) -> (Option<T>, Option<Value>)) -> Option<T> {
        let (typed, rest) = decode(self.map.remove(key)?);
        if let Some(rest) = rest {
            self.unparsed.insert(key.to_owned(), rest);
        }
        typed
    }

    pub fn opt<T: Lenient>(&mut self, key: &str) -> Option<T> {
        self.with(key, T::from_value)
    }

    /// A field the types promise is always there; empty when Graph left it out.
    pub fn req<T: Lenient + Default>(&mut self, key: &str) -> T {
        self.opt(key).unwrap_or_default()
    }

    pub fn time(&mut self, key: &str) -> Option<String> {
        self.with(key, timestamp)
    }

    pub fn extra(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.map)
    }

    pub fn unparsed(&mut self) -> Option<Map<String, Value>> {
        let unparsed = std::mem::take(&mut self.unparsed);
        (!unparsed.is_empty()).then_some(unparsed)
    }
}

/// Implements `Lenient` and serde's `Deserialize` for a struct from a reader function.
macro_rules! lenient_object {
    ($ty:ty, |$r:ident| $body:expr) => {
        impl $crate::core::lenient::Lenient for $ty {
            fn from_value(v: serde_json::Value) -> (Option<Self>, Option<serde_json::Value>) {
                match $crate::core::lenient::ObjectReader::new(v) {
                    Ok(mut $r) => (Some($body), None),
                    Err(serde_json::Value::Null) => (None, None),
                    Err(other) => (None, Some(other)),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(d)?;
                match <$ty as $crate::core::lenient::Lenient>::from_value(value) {
                    (Some(typed), _) => Ok(typed),
                    _ => Err(serde::de::Error::custom(concat!(
                        "expected an object for ",
                        stringify!($ty)
                    ))),
                }
            }
        }
    };
}
pub(crate) use lenient_object;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_accept_common_drift() {
        assert_eq!(String::from_value(json!(123)), (Some("123".into()), None));
        assert_eq!(i64::from_value(json!("42")), (Some(42), None));
        assert_eq!(i64::from_value(json!(42.0)), (Some(42), None));
        assert_eq!(i64::from_value(json!("many")), (None, Some(json!("many"))));
        assert_eq!(bool::from_value(json!("true")), (Some(true), None));
        assert_eq!(bool::from_value(json!(0)), (Some(false), None));
        assert_eq!(bool::from_value(json!(null)), (None, None));
        assert_eq!(String::from_value(json!({"a": 1})), (None, Some(json!({"a": 1}))));
    }

    #[test]
    fn lists_keep_what_they_can_type() {
        let (typed, rest) = Vec::<i64>::from_value(json!([1, "2", "x", 3]));
        assert_eq!(typed, Some(vec![1, 2, 3]));
        assert_eq!(rest, Some(json!(["x"])));
    }

    #[test]
    fn unix_timestamps_become_graph_time() {
        assert_eq!(
            timestamp(json!(1657653067)).0.as_deref(),
            Some("2022-07-12T19:11:07+0000")
        );
        assert_eq!(
            timestamp(json!("1657653067")).0.as_deref(),
            Some("2022-07-12T19:11:07+0000")
        );
        assert_eq!(
            timestamp(json!("2022-07-12T19:11:07+0000")).0.as_deref(),
            Some("2022-07-12T19:11:07+0000")
        );
    }
}
