//! Over-heavy list requests: the cost of a request, how a request above
//! `--reduce-data-threshold` fails (`--heavy-failure`), and refusing nested message details
//! beyond the newest ones (`--refuse-nested-details`).
//!
//! Graph publishes no size limit for nested expansion, and a request that asks for too much
//! often fails opaquely instead of saying "Please reduce the amount of data". The simulator
//! covers that space: the threshold decides *when*, the style decides *how*.

use crate::catalogue::DEFAULT_MESSAGE;
use crate::config::Settings;
use crate::errors::GraphError;
use crate::faults::{HTML_502, HTML_503};
use crate::fields::Field;
use crate::paging::DEFAULT_LIMIT;

/// An enum setting written the same way as a flag value, in `/__sim/config` and in the docs.
macro_rules! setting_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The value as written on the command line and in `/__sim/config`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::ALL.iter().copied().find(|v| v.name() == s).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
                    serde::de::Error::custom(format!(
                        "expected one of {}, got {s:?}",
                        names.join(", ")
                    ))
                })
            }
        }
    };
}

setting_enum! {
    /// How a list request whose cost is above `reduce_data_threshold` fails.
    HeavyFailure {
        /// HTTP 500, code 1, "Please reduce the amount of data you're asking for, then retry
        /// your request".
        ReduceData = "reduce-data",
        /// HTTP 500, code 1, "An unknown error has occurred.".
        Unknown = "unknown",
        /// HTTP 503, code 2, "Service temporarily unavailable", `is_transient: true`.
        Unavailable = "unavailable",
        /// HTTP 502 with a proxy's HTML page.
        Html502 = "html-502",
        /// HTTP 503 with a proxy's HTML page.
        Html503 = "html-503",
        /// No answer: the connection is held open for `heavy_timeout_ms`, then closed.
        Timeout = "timeout",
        /// The connection is closed at once, with no answer.
        Drop = "drop",
    }
}

setting_enum! {
    /// Whether a request that asks nested message details (fields beyond `id` and
    /// `created_time`) for more than the detail window (20) of each thread is refused.
    RefuseNested {
        /// Allowed: older messages in the page carry only `id` and `created_time`.
        Off = "off",
        /// HTTP 400, code 9000001, "This Message has been deleted by the user or the business.".
        Deleted = "9000001",
        /// HTTP 400, code 100, an invalid-parameter message.
        InvalidParam = "code-100",
    }
}

/// The cost of a list request: `limit × max(1, nested_limit) × max(1, nested_fields)`.
///
/// `limit` is the page size after clamping (1 for a single thread or a `user_id` lookup),
/// `nested_limit` the nested `messages` limit after clamping (0 when `messages` is not asked
/// for), and `nested_fields` the number of fields each nested message is asked for (the items
/// of `messages{...}`, or 2 for the default `id,created_time`; 0 when `messages` is not asked
/// for). A request fails as too heavy when its cost is above `reduce_data_threshold`.
pub fn request_cost(limit: u32, nested_limit: u32, nested_fields: u32) -> u64 {
    u64::from(limit) * u64::from(nested_limit.max(1)) * u64::from(nested_fields.max(1))
}

/// How a refused or over-heavy request is answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A Graph error envelope.
    Graph(GraphError),
    /// A proxy's HTML page with this HTTP status.
    Html(u16, &'static str),
    /// Hold the connection open this many milliseconds, then close it without answering.
    Hang(u64),
    /// Close the connection without answering.
    Drop,
}

/// Why a Graph call does not get its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// An ordinary Graph error.
    Graph(GraphError),
    /// Refused as over-heavy or for nested details: the name `/__sim/stats` and the request
    /// log count it under, and the answer.
    Heavy(&'static str, Answer),
}

impl From<GraphError> for Failure {
    fn from(e: GraphError) -> Self {
        Failure::Graph(e)
    }
}

impl HeavyFailure {
    fn answer(self, s: &Settings) -> Answer {
        match self {
            HeavyFailure::ReduceData => Answer::Graph(GraphError::reduce_data()),
            HeavyFailure::Unknown => Answer::Graph(GraphError::unknown()),
            HeavyFailure::Unavailable => Answer::Graph(GraphError::unavailable()),
            HeavyFailure::Html502 => Answer::Html(502, HTML_502),
            HeavyFailure::Html503 => Answer::Html(503, HTML_503),
            HeavyFailure::Timeout => Answer::Hang(s.heavy_timeout_ms),
            HeavyFailure::Drop => Answer::Drop,
        }
    }
}

impl RefuseNested {
    /// The stats and log name of a refusal in this style.
    fn label(self) -> &'static str {
        match self {
            RefuseNested::Off => "off",
            RefuseNested::Deleted => "nested-9000001",
            RefuseNested::InvalidParam => "nested-code-100",
        }
    }
}

/// Checks a request whose pages hold `outer` threads with these `fields`: first the nested
/// details rule, then the cost against the threshold.
pub fn check(
    outer: u32,
    fields: &[Field],
    s: &Settings,
    detail_window: u32,
) -> Result<(), Failure> {
    let nested = fields.iter().find(|f| f.name == "messages");
    let nested_limit = nested.map_or(0, |f| f.limit.unwrap_or(DEFAULT_LIMIT).min(s.max_limit));
    let names: Vec<&str> = match nested.map(|f| f.sub.as_deref()) {
        None => Vec::new(),
        Some(None) => DEFAULT_MESSAGE.to_vec(),
        Some(Some(sub)) => sub.iter().map(|f| f.name.as_str()).collect(),
    };
    let refuse = s.refuse_nested_details;
    let details = names.iter().any(|n| !DEFAULT_MESSAGE.contains(n));
    if refuse != RefuseNested::Off && details && nested_limit > detail_window {
        let e = match refuse {
            RefuseNested::InvalidParam => GraphError::invalid_param(format!(
                "Param messages.limit must be at most {detail_window} when messages ask for \
                 fields other than id and created_time, got {nested_limit}"
            )),
            _ => GraphError::deleted_message(),
        };
        return Err(Failure::Heavy(refuse.label(), Answer::Graph(e)));
    }
    let cost = request_cost(outer, nested_limit, names.len() as u32);
    let max = s.reduce_data_threshold;
    if max > 0 && cost > max {
        let style = s.heavy_failure;
        return Err(Failure::Heavy(style.name(), style.answer(s)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields;

    #[test]
    fn the_cost_multiplies_threads_nested_messages_and_fields() {
        assert_eq!(request_cost(100, 50, 12), 60_000);
        assert_eq!(request_cost(25, 0, 0), 25);
        assert_eq!(request_cost(1, 20, 0), 20);
    }

    #[test]
    fn the_threshold_is_inclusive_and_0_means_no_limit() {
        let s = |max| Settings {
            reduce_data_threshold: max,
            ..Settings::default()
        };
        let f = fields::parse("participants,messages.limit(10){id,from,message}").unwrap();
        assert_eq!(check(4, &f, &s(120), 20), Ok(()));
        assert!(matches!(
            check(4, &f, &s(119), 20),
            Err(Failure::Heavy("reduce-data", _))
        ));
        assert_eq!(check(100, &f, &s(0), 20), Ok(()));
        // `messages` alone asks for id and created_time: 2 fields at the default limit 25.
        let plain = fields::parse("messages").unwrap();
        assert_eq!(check(2, &plain, &s(100), 20), Ok(()));
        assert!(check(3, &plain, &s(100), 20).is_err());
    }

    #[test]
    fn names_round_trip_through_serde() {
        for v in HeavyFailure::ALL {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(serde_json::from_str::<HeavyFailure>(&json).unwrap(), *v);
        }
        assert_eq!(
            serde_json::to_string(&RefuseNested::Deleted).unwrap(),
            "\"9000001\""
        );
        assert!(serde_json::from_str::<RefuseNested>("\"on\"").is_err());
    }
}
