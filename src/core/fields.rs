//! The `fields` parameter: Graph's field-expansion syntax, parsed so malformed input is rejected
//! before a request and so required fields (`id`, timestamps) can be added where missing.
//!
//! Grammar: `field := name ('.' modifier '(' arg ')')* ('{' field (',' field)* '}')?`

use std::fmt;

use crate::core::error::GraphApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// `.limit(20)` is `("limit", "20")`, in the order given.
    pub modifiers: Vec<(String, String)>,
    pub children: Option<Vec<Field>>,
}

impl Field {
    pub fn new(name: &str) -> Self {
        Field {
            name: name.to_owned(),
            modifiers: Vec::new(),
            children: None,
        }
    }

    pub fn with_limit(mut self, limit: u32) -> Self {
        self.set_modifier("limit", limit.to_string());
        self
    }

    pub fn with_children(mut self, children: Vec<Field>) -> Self {
        self.children = Some(children);
        self
    }

    pub fn set_modifier(&mut self, name: &str, value: String) {
        match self.modifiers.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.modifiers.push((name.to_owned(), value)),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        for (name, arg) in &self.modifiers {
            write!(f, ".{name}({arg})")?;
        }
        if let Some(children) = &self.children {
            write!(f, "{{{}}}", FieldList(children))?;
        }
        Ok(())
    }
}

/// Displays fields comma-separated, as Graph expects them.
pub struct FieldList<'a>(pub &'a [Field]);

impl fmt::Display for FieldList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, field) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{field}")?;
        }
        Ok(())
    }
}

/// Parses the caller's `fields` array; each element may itself be a comma list.
pub fn parse_fields(items: &[String]) -> Result<Vec<Field>, GraphApiError> {
    if items.is_empty() {
        return Err(GraphApiError::invalid_argument("fields must not be empty"));
    }
    let mut out = Vec::new();
    for item in items {
        let mut parser = Parser {
            src: item,
            pos: 0,
            depth: 0,
        };
        out.extend(parser.list()?);
        if parser.pos != item.len() {
            return Err(parser.error("unexpected character"));
        }
    }
    Ok(out)
}

/// Adds `required` names that `fields` lacks (at the front, in order).
pub fn ensure_fields(fields: &mut Vec<Field>, required: &[&str]) {
    let mut inserted = 0;
    for name in required {
        if !fields.iter().any(|f| f.name == *name) {
            fields.insert(inserted, Field::new(name));
            inserted += 1;
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    /// Expansion depth: bounded, so hostile input cannot exhaust the wasm stack.
    depth: u32,
}

/// Far beyond any real query (`messages{attachments{image_data}}` is 3).
const MAX_DEPTH: u32 = 8;

impl Parser<'_> {
    fn error(&self, what: &str) -> GraphApiError {
        GraphApiError::invalid_argument(format!(
            "malformed fields \"{}\": {what} at character {}",
            self.src.chars().take(200).collect::<String>(),
            self.pos
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.pos += usize::from(hit);
        hit
    }

    fn list(&mut self) -> Result<Vec<Field>, GraphApiError> {
        let mut fields = vec![self.field()?];
        while self.eat(b',') {
            fields.push(self.field()?);
        }
        Ok(fields)
    }

    fn name(&mut self) -> Result<String, GraphApiError> {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        if start == self.pos || self.src.as_bytes()[start].is_ascii_digit() {
            return Err(self.error("expected a field name"));
        }
        Ok(self.src[start..self.pos].to_owned())
    }

    fn field(&mut self) -> Result<Field, GraphApiError> {
        let mut field = Field::new(&self.name()?);
        while self.eat(b'.') {
            let modifier = self.name()?;
            if !self.eat(b'(') {
                return Err(self.error("expected '('"));
            }
            let start = self.pos;
            while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b"_-=:".contains(&b))
            {
                self.pos += 1;
            }
            let arg = self.src[start..self.pos].to_owned();
            if !self.eat(b')') {
                return Err(self.error("expected ')'"));
            }
            if modifier == "limit" && !arg.parse::<u32>().is_ok_and(|n| n > 0) {
                return Err(self.error("limit() takes a positive whole number"));
            }
            field.modifiers.push((modifier, arg));
        }
        if self.eat(b'{') {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error("expansion nested too deep"));
            }
            field.children = Some(self.list()?);
            self.depth -= 1;
            if !self.eat(b'}') {
                return Err(self.error("expected '}'"));
            }
        }
        Ok(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(items: &[&str]) -> Result<Vec<Field>, GraphApiError> {
        parse_fields(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn round_trips_nested_expansion() {
        let src = "participants,messages.limit(20){id,created_time,from,to,message,attachments{image_data}}";
        let fields = parse(&[src]).unwrap();
        assert_eq!(FieldList(&fields).to_string(), src);
        assert_eq!(fields[1].modifiers, [("limit".to_owned(), "20".to_owned())]);
        assert_eq!(fields[1].children.as_ref().unwrap().len(), 6);
    }

    #[test]
    fn array_items_are_joined() {
        let fields = parse(&["id", "snippet", "messages.limit(5){message}"]).unwrap();
        assert_eq!(
            FieldList(&fields).to_string(),
            "id,snippet,messages.limit(5){message}"
        );
    }

    #[test]
    fn malformed_fields_are_rejected() {
        for bad in [
            "",
            "id,",
            ",id",
            "id,,x",
            "messages{id",
            "messages}",
            "messages.limit(20",
            "messages.limit()",
            "messages.limit(0)",
            "messages.limit(-1)",
            "messages.limit(x)",
            "messages{}",
            "a b",
            "a;b",
            "1abc",
            "id?x=1",
            "id&access_token=x",
            "messages.(2)",
            "from{",
            "{id}",
            "id}",
        ] {
            assert!(parse(&[bad]).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn ensure_adds_missing_required_fields_in_front() {
        let mut fields = parse(&["message,id"]).unwrap();
        ensure_fields(&mut fields, &["id", "created_time"]);
        assert_eq!(FieldList(&fields).to_string(), "created_time,message,id");
        let mut fields = parse(&["message"]).unwrap();
        ensure_fields(&mut fields, &["id", "created_time"]);
        assert_eq!(FieldList(&fields).to_string(), "id,created_time,message");
    }
}
