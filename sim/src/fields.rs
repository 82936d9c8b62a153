//! The `fields` parameter: a comma list of names, each with optional `.limit(n)` and a
//! nested `{...}` selection, e.g. `participants,messages.limit(20){id,from,message}`.

use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub limit: Option<u32>,
    /// `Some` when the field was written with `{...}`.
    pub sub: Option<Vec<Field>>,
}

impl Field {
    pub fn plain(name: &str) -> Self {
        Field {
            name: name.to_owned(),
            limit: None,
            sub: None,
        }
    }
}

/// Where and why parsing failed; Graph reports it as error 2500.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// 0-based character position.
    pub at: usize,
    pub expected: String,
}

impl SyntaxError {
    /// Graph's wording, e.g. `Syntax error "Expected end of string instead of "}"." at character 2: id}`.
    pub fn message(&self, input: &str) -> String {
        format!(
            "Syntax error \"{}\" at character {}: {input}",
            self.expected, self.at
        )
    }
}

pub fn parse(input: &str) -> Result<Vec<Field>, SyntaxError> {
    let mut p = Parser {
        chars: input.chars().collect(),
        at: 0,
    };
    p.list(false)
}

/// The inverse of `parse`, for the `fields` of `next` URLs.
pub fn to_string(fields: &[Field]) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&f.name);
        if let Some(n) = f.limit {
            let _ = write!(out, ".limit({n})");
        }
        if let Some(sub) = &f.sub {
            let _ = write!(out, "{{{}}}", to_string(sub));
        }
    }
    out
}

pub fn plain(names: &[&str]) -> Vec<Field> {
    names.iter().map(|n| Field::plain(n)).collect()
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn fail<T>(&self, expected: &str) -> Result<T, SyntaxError> {
        let found = match self.peek() {
            Some(c) => format!("\"{c}\""),
            None => "end of string".to_owned(),
        };
        Err(SyntaxError {
            at: self.at,
            expected: format!("Expected {expected} instead of {found}."),
        })
    }

    fn expect(&mut self, c: char) -> Result<(), SyntaxError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            self.fail(&format!("\"{c}\""))
        }
    }

    fn name(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(is_name_char) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// Items up to the end of input (top level) or up to a `}` it leaves unread (nested).
    /// Empty items (`a,,b`, a trailing comma) are skipped, as Graph does.
    fn list(&mut self, nested: bool) -> Result<Vec<Field>, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                None if nested => return self.fail("\"}\""),
                None => return Ok(items),
                Some('}') if nested => return Ok(items),
                Some('}') => return self.fail("end of string"),
                Some(',') => self.at += 1,
                Some(c) if is_name_char(c) => {
                    items.push(self.item()?);
                    self.skip_spaces();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some('}') | None => {}
                        Some(_) => return self.fail("\",\""),
                    }
                }
                Some(_) => return self.fail("field name"),
            }
        }
    }

    fn item(&mut self) -> Result<Field, SyntaxError> {
        let mut field = Field::plain(&self.name());
        while self.peek() == Some('.') {
            self.at += 1;
            let start = self.at;
            let modifier = self.name();
            if modifier.is_empty() {
                return self.fail("modifier name");
            }
            if modifier != "limit" {
                return Err(SyntaxError {
                    at: start,
                    expected: format!("Unknown modifier \"{modifier}\"."),
                });
            }
            self.expect('(')?;
            self.skip_spaces();
            let digits_start = self.at;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.at += 1;
            }
            let digits: String = self.chars[digits_start..self.at].iter().collect();
            match digits.parse::<u32>() {
                Ok(n) => field.limit = Some(n),
                Err(_) => {
                    self.at = digits_start;
                    return self.fail("integer");
                }
            }
            self.skip_spaces();
            self.expect(')')?;
        }
        if self.peek() == Some('{') {
            self.at += 1;
            field.sub = Some(self.list(true)?);
            self.expect('}')?;
        }
        Ok(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expansion_and_round_trips() {
        let s = "participants,messages.limit(20){id,created_time,from,to,message}";
        let f = parse(s).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].limit, Some(20));
        assert_eq!(f[1].sub.as_ref().map(Vec::len), Some(5));
        assert_eq!(to_string(&f), s);
        assert_eq!(parse(" id , ,name,").unwrap(), plain(&["id", "name"]));
    }

    #[test]
    fn reports_graph_style_syntax_errors() {
        let msg = |s: &str| parse(s).unwrap_err().message(s);
        assert_eq!(
            msg("id}"),
            "Syntax error \"Expected end of string instead of \"}\".\" at character 2: id}"
        );
        assert_eq!(
            msg("messages{id"),
            "Syntax error \"Expected \"}\" instead of end of string.\" at character 11: messages{id"
        );
        assert_eq!(parse("messages.limit(x)").unwrap_err().at, 15);
        assert_eq!(parse("messages.limit(99999999999)").unwrap_err().at, 15);
        assert!(parse("messages.limit(2").is_err());
        assert!(parse("messages.order(chronological)").is_err());
        assert!(parse("id name").is_err());
        assert!(parse("id,-x").is_err());
    }
}
