//! The query parameters the Graph reads share: `fields`, `limit`, `after` / `before`.

use crate::catalogue::{self, Node};
use crate::errors::GraphError;
use crate::fields::{self, Field};
use crate::paging::{Cursor, DEFAULT_LIMIT};
use crate::query::Query;

pub fn fields_param(q: &Query, default: &[&str], node: Node) -> Result<Vec<Field>, GraphError> {
    let parsed = match q.get("fields") {
        Some(s) => fields::parse(s).map_err(|e| GraphError::syntax(e.message(s)))?,
        None => Vec::new(),
    };
    let fields = if parsed.is_empty() {
        fields::plain(default)
    } else {
        parsed
    };
    catalogue::validate(&fields, node)?;
    Ok(fields)
}

pub fn limit_param(q: &Query, max: u32) -> Result<u32, GraphError> {
    match q.get("limit").map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(DEFAULT_LIMIT.min(max)),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n.min(u64::from(max)) as u32),
            _ => Err(GraphError::invalid_param(format!(
                "Param limit must be a positive integer, got \"{s}\""
            ))),
        },
    }
}

pub fn cursor_param<P>(
    q: &Query,
    parse: impl Fn(&str) -> Option<P>,
) -> Result<Cursor<P>, GraphError> {
    for (name, wrap) in [
        ("after", Cursor::After as fn(P) -> Cursor<P>),
        ("before", Cursor::Before),
    ] {
        if let Some(c) = q.get(name).filter(|c| !c.is_empty()) {
            return parse(c).map(wrap).ok_or_else(|| {
                GraphError::invalid_param(format!("Param {name} is not a valid cursor"))
            });
        }
    }
    Ok(Cursor::First)
}
