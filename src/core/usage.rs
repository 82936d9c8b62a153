//! Rate-limit usage Graph reports in `X-App-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage`.

use crate::core::schema::number_in_text;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Percentages of the platform allowance used (`X-App-Usage`, `X-Page-Usage`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AppUsage {
    /// Percentage of the allowed calls used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_count: Option<f64>,
    /// Percentage of the allowed total time used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_time: Option<f64>,
    /// Percentage of the allowed CPU time used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cputime: Option<f64>,
}

/// One business use case's usage for one business object (Page or Instagram account).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct BusinessUseCaseUsage {
    /// The Page or Instagram account the header keyed this entry by.
    pub business_id: String,
    /// The use case (`messenger`, `instagram` ...), Graph's `type`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub use_case: Option<String>,
    /// Percentage of the allowed calls used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_count: Option<f64>,
    /// Percentage of the allowed CPU time used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cputime: Option<f64>,
    /// Percentage of the allowed total time used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_time: Option<f64>,
    /// Minutes until calls are allowed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_time_to_regain_access: Option<f64>,
}

/// The last usage Graph reported, as `client.usage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Usage {
    /// `X-App-Usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppUsage>,
    /// `X-Page-Usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<AppUsage>,
    /// `X-Business-Use-Case-Usage`, one entry per business object and use case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub business: Vec<BusinessUseCaseUsage>,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => number_in_text(s),
        _ => None,
    }
}

fn app_usage(raw: &str) -> Option<AppUsage> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let obj = v.as_object()?;
    let get = |k: &str| obj.get(k).and_then(number);
    Some(AppUsage {
        call_count: get("call_count"),
        total_time: get("total_time"),
        total_cputime: get("total_cputime"),
    })
}

fn business_usage(raw: &str) -> Vec<BusinessUseCaseUsage> {
    let Ok(Value::Object(by_id)) = serde_json::from_str::<Value>(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, entries) in by_id {
        // Meta documents an array per id; a lone object is accepted too.
        let entries: Vec<Value> = match entries {
            Value::Array(items) => items,
            single @ Value::Object(_) => vec![single],
            _ => Vec::new(),
        };
        let parsed = entries
            .iter()
            .filter_map(Value::as_object)
            .map(|e| BusinessUseCaseUsage {
                business_id: id.clone(),
                use_case: e.get("type").and_then(Value::as_str).map(str::to_owned),
                call_count: e.get("call_count").and_then(number),
                total_cputime: e.get("total_cputime").and_then(number),
                total_time: e.get("total_time").and_then(number),
                estimated_time_to_regain_access: e
                    .get("estimated_time_to_regain_access")
                    .and_then(number),
            });
        out.extend(parsed);
    }
    out
}

impl Usage {
    /// Parses the usage headers; `header` looks a header up case-insensitively. `None` when
    /// the response carried none of them.
    pub fn from_headers<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Option<Usage> {
        let app = header("x-app-usage").and_then(app_usage);
        let page = header("x-page-usage").and_then(app_usage);
        let business = header("x-business-use-case-usage")
            .map(business_usage)
            .unwrap_or_default();
        (app.is_some() || page.is_some() || !business.is_empty()).then_some(Usage {
            app,
            page,
            business,
        })
    }

    /// The longest `estimated_time_to_regain_access`, in milliseconds, when any is above zero.
    pub fn retry_after_ms(&self) -> Option<u64> {
        let minutes = self
            .business
            .iter()
            .filter_map(|u| u.estimated_time_to_regain_access)
            .fold(0.0_f64, f64::max);
        (minutes > 0.0).then_some((minutes * 60_000.0) as u64)
    }

    /// The highest percentage any counter reports, to slow down before Graph throttles.
    pub fn max_percent(&self) -> f64 {
        let app = [&self.app, &self.page]
            .into_iter()
            .flatten()
            .flat_map(|a| [a.call_count, a.total_time, a.total_cputime]);
        let business = self
            .business
            .iter()
            .flat_map(|b| [b.call_count, b.total_time, b.total_cputime]);
        app.chain(business).flatten().fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(headers: &[(&str, &str)]) -> Option<Usage> {
        Usage::from_headers(|name| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        })
    }

    #[test]
    fn parses_all_three_headers() {
        let usage = parse(&[
            ("x-app-usage", r#"{"call_count":28,"total_time":25,"total_cputime":"24"}"#),
            ("x-page-usage", r#"{"call_count":3}"#),
            (
                "x-business-use-case-usage",
                r#"{"106000000000001":[{"type":"messenger","call_count":97,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":2}]}"#,
            ),
        ])
        .unwrap();
        assert_eq!(usage.app.as_ref().unwrap().call_count, Some(28.0));
        assert_eq!(usage.app.as_ref().unwrap().total_cputime, Some(24.0));
        assert_eq!(usage.page.as_ref().unwrap().call_count, Some(3.0));
        let page = &usage.business[0];
        assert_eq!(page.business_id, "106000000000001");
        assert_eq!(page.use_case.as_deref(), Some("messenger"));
        assert_eq!(usage.retry_after_ms(), Some(120_000));
        assert_eq!(usage.max_percent(), 97.0);
    }

    #[test]
    fn absent_or_garbage_headers_are_not_usage() {
        assert_eq!(parse(&[]), None);
        assert_eq!(parse(&[("x-app-usage", "not json")]), None);
        let zero = parse(&[(
            "x-business-use-case-usage",
            r#"{"1":{"type":"instagram","estimated_time_to_regain_access":0}}"#,
        )])
        .unwrap();
        assert_eq!(zero.retry_after_ms(), None);
        assert_eq!(zero.business.len(), 1);
    }
}
