//! Lenient decoding, driven by a small schema of each Graph object. Real payloads drift from the
//! docs (numbers as strings, ids as numbers, unix timestamps, lists without their `{data: [...]}`
//! wrapper, nulls); normalisation coerces what it can in place, moves what it cannot type into the
//! object's `unparsed` map, and leaves fields the schema does not know untouched. Nothing is
//! dropped and one odd field never rejects a response.
//!
//! The JS build works on the normalised JSON directly; the typed Rust models deserialise from it.

use serde_json::{Map, Value};

use crate::core::models::PAGING;
use crate::core::time::{format_graph_time, parse_time_ms};

/// What a field holds.
#[derive(Debug)]
pub enum Kind {
    Str,
    /// A string the types promise is always there: `""` when Graph left it out.
    RequiredStr,
    RequiredTime,
    Int,
    Num,
    Bool,
    /// Kept as sent.
    Any,
    Obj(&'static Schema),
    /// `{data: [...], paging}`, or a bare array.
    Page(&'static Schema),
    /// A bare array of objects.
    List(&'static Schema),
}

/// The known fields of one Graph object type, declared with the type in `core::models`.
#[derive(Debug)]
pub struct Schema {
    /// The Rust / TypeScript type name.
    pub object: &'static str,
    pub fields: &'static [FieldSpec],
}

/// One known field.
#[derive(Debug)]
pub struct FieldSpec {
    /// The Graph wire name.
    pub name: &'static str,
    pub kind: Kind,
    /// Asked for when the caller names no fields; `false` for legacy fields that are decoded
    /// when sent but not on the current reference.
    pub requested: bool,
}

impl Schema {
    /// The field names asked for by default, in declaration order.
    pub fn requested_fields(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().filter(|f| f.requested).map(|f| f.name)
    }
}

pub const UNPARSED: &str = "unparsed";

/// Normalises `value` as an object of `schema`; `false` (value untouched) if it is not an object.
pub fn normalize(value: &mut Value, schema: &Schema) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    let mut unparsed = Map::new();
    for FieldSpec { name, kind, .. } in schema.fields {
        // Fast path, the common case: the field is absent (and may be) or already well typed.
        let done = match map.get_mut(*name) {
            None => !matches!(kind, Kind::RequiredStr | Kind::RequiredTime),
            Some(v) => in_place(v, kind),
        };
        if done {
            continue;
        }
        let raw = map.remove(*name).unwrap_or(Value::Null);
        let (typed, rest) = coerce(raw, kind);
        if !typed.is_null() {
            map.insert((*name).to_owned(), typed);
        }
        if let Some(rest) = rest {
            unparsed.insert((*name).to_owned(), rest);
        }
    }
    if !unparsed.is_empty() {
        map.insert(UNPARSED.to_owned(), Value::Object(unparsed));
    }
    true
}

/// Whether `v` is already of `kind`, normalising nested objects in place on the way. `false`
/// sends the field through `coerce`.
fn in_place(v: &mut Value, kind: &Kind) -> bool {
    match (kind, &mut *v) {
        (Kind::Str | Kind::RequiredStr, Value::String(_)) => true,
        // Digits are unix seconds, to be rewritten in Graph's form.
        (Kind::RequiredTime, Value::String(s)) => !s.bytes().all(|b| b.is_ascii_digit()),
        (Kind::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Kind::Num, Value::Number(_)) | (Kind::Bool, Value::Bool(_)) => true,
        (Kind::Any, Value::Null) => false,
        (Kind::Any, _) => true,
        (Kind::Obj(schema), Value::Object(_)) => normalize(v, schema),
        (Kind::Page(schema), Value::Object(_)) => {
            normalize_page(v, schema);
            true
        }
        _ => false,
    }
}

/// The value coerced to `kind` (`Null` for absent), and whatever of the raw value could not be.
fn coerce(v: Value, kind: &Kind) -> (Value, Option<Value>) {
    let whole = |r: Result<Value, Value>| match r {
        Ok(v) => (v, None),
        Err(raw) => (Value::Null, Some(raw)),
    };
    if v.is_null() {
        let absent = match kind {
            Kind::RequiredStr | Kind::RequiredTime => Value::String(String::new()),
            _ => Value::Null,
        };
        return (absent, None);
    }
    match kind {
        Kind::Str | Kind::RequiredStr => whole(match v {
            Value::String(_) => Ok(v),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            other => Err(other),
        }),
        Kind::RequiredTime => whole(time(v)),
        Kind::Int => whole(match &v {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(v),
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 => Ok(Value::from(f as i64)),
                _ => Err(v),
            },
            Value::String(s) => s.trim().parse::<i64>().map(Value::from).map_err(|_| v),
            _ => Err(v),
        }),
        Kind::Num => whole(match &v {
            Value::Number(_) => Ok(v),
            Value::String(s) => match number_in_text(s) {
                Some(f) => Ok(Value::from(f)),
                None => Err(v),
            },
            _ => Err(v),
        }),
        Kind::Bool => whole(match &v {
            Value::Bool(_) => Ok(v),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(Value::Bool(false)),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(Value::Bool(true)),
            Value::String(s) if s == "true" || s == "1" => Ok(Value::Bool(true)),
            Value::String(s) if s == "false" || s == "0" => Ok(Value::Bool(false)),
            _ => Err(v),
        }),
        Kind::Any => (v, None),
        Kind::Obj(schema) => {
            let mut v = v;
            whole(if normalize(&mut v, schema) {
                Ok(v)
            } else {
                Err(v)
            })
        }
        Kind::Page(schema) => {
            let mut page = match v {
                list @ Value::Array(_) => {
                    let mut m = Map::new();
                    m.insert("data".to_owned(), list);
                    Value::Object(m)
                }
                Value::Object(_) => v,
                other => return (Value::Null, Some(other)),
            };
            normalize_page(&mut page, schema);
            (page, None)
        }
        Kind::List(schema) => match v {
            Value::Array(items) => {
                let (typed, rest) = split_objects(items, schema);
                let rest = (!rest.is_empty()).then_some(Value::Array(rest));
                (Value::Array(typed), rest)
            }
            other => (Value::Null, Some(other)),
        },
    }
}

fn split_objects(items: Vec<Value>, schema: &Schema) -> (Vec<Value>, Vec<Value>) {
    let mut typed = Vec::with_capacity(items.len());
    let mut rest = Vec::new();
    for mut item in items {
        if normalize(&mut item, schema) {
            typed.push(item);
        } else if !item.is_null() {
            rest.push(item);
        }
    }
    (typed, rest)
}

/// Normalises a `{data: [...], paging}` object in place: items of `schema` in `data` (others to
/// `unparsed.data`), `paging` checked.
pub fn normalize_page(page: &mut Value, schema: &Schema) {
    let Value::Object(map) = page else {
        return;
    };
    let data = match map.remove("data") {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    };
    let (typed, rest) = split_objects(data, schema);
    map.insert("data".to_owned(), Value::Array(typed));
    let mut unparsed = Map::new();
    if !rest.is_empty() {
        unparsed.insert("data".to_owned(), Value::Array(rest));
    }
    if let Some(mut paging) = map.remove("paging") {
        if normalize(&mut paging, &PAGING) {
            map.insert("paging".to_owned(), paging);
        } else if !paging.is_null() {
            unparsed.insert("paging".to_owned(), paging);
        }
    }
    if !unparsed.is_empty() {
        map.insert(UNPARSED.to_owned(), Value::Object(unparsed));
    }
}

/// A Graph timestamp; unix seconds (number or digits) become Graph's ISO form.
fn time(v: Value) -> Result<Value, Value> {
    if let Value::String(s) = &v {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(v);
        }
    }
    parse_time_ms(&v)
        .and_then(|ms| format_graph_time(ms.div_euclid(1000)))
        .map(Value::String)
        .ok_or(v)
}

/// A number Graph sent as text (`"12"`, `"0.5"`), read by serde_json's number parser, which is
/// in the build already (`str::parse::<f64>` would add core's float parser: about 2 KB of wasm).
pub(crate) fn number_in_text(text: &str) -> Option<f64> {
    serde_json::from_str::<Value>(text.trim()).ok()?.as_f64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::{CONVERSATION, MESSAGE};
    use serde_json::json;

    fn norm(mut v: Value, schema: &Schema) -> Value {
        assert!(normalize(&mut v, schema));
        v
    }

    #[test]
    fn scalars_accept_common_drift() {
        let v = norm(
            json!({"id": 123, "message_count": "7", "unread_count": 2.0, "can_reply": "true",
                   "is_owner": 0, "updated_time": 1657653067, "snippet": null}),
            &CONVERSATION,
        );
        assert_eq!(
            v,
            json!({"id": "123", "message_count": 7, "unread_count": 2, "can_reply": true,
                   "is_owner": false, "updated_time": "2022-07-12T19:11:07+0000"})
        );
    }

    #[test]
    fn what_cannot_be_typed_moves_to_unparsed_and_unknown_fields_stay() {
        let v = norm(
            json!({"id": "t_1", "updated_time": "2026-01-01T00:00:00+0000", "unread_count": "lots",
                   "can_reply": {"x": 1}, "wallpaper": "w.png",
                   "participants": [{"id": "1", "name": "A"}, "ghost"]}),
            &CONVERSATION,
        );
        assert_eq!(
            v["unparsed"],
            json!({"unread_count": "lots", "can_reply": {"x": 1}})
        );
        assert_eq!(v["wallpaper"], "w.png");
        assert_eq!(v["participants"]["data"], json!([{"id": "1", "name": "A"}]));
        assert_eq!(v["participants"]["unparsed"], json!({"data": ["ghost"]}));
    }

    #[test]
    fn required_fields_are_always_present() {
        let v = norm(json!({"message": "hi"}), &MESSAGE);
        assert_eq!(v, json!({"id": "", "created_time": "", "message": "hi"}));
    }

    #[test]
    fn nested_lists_are_normalised_all_the_way_down() {
        let v = norm(
            json!({"id": "m", "created_time": "1657653067",
                   "attachments": {"data": [{"image_data": {"url": "u", "width": "64"}}]},
                   "reactions": {"data": [{"reaction": "❤️", "users": [{"id": 5, "username": "k"}]}]}}),
            &MESSAGE,
        );
        assert_eq!(v["created_time"], "2022-07-12T19:11:07+0000");
        assert_eq!(
            v["attachments"]["data"][0]["image_data"]["width"],
            json!(64.0)
        );
        assert_eq!(v["reactions"]["data"][0]["users"][0]["id"], "5");
    }

    #[test]
    fn non_objects_are_refused_at_the_top() {
        assert!(!normalize(&mut json!([1]), &MESSAGE));
        assert!(!normalize(&mut json!("x"), &CONVERSATION));
    }
}
