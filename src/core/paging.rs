//! Paging decisions. The next page is always asked of the configured `baseUrl`, rebuilt from
//! `cursors.after`: a `paging.next` URL is never followed, so a response cannot send the token
//! to another host. URLs handed back to callers have the token stripped.

use serde_json::Value;

use crate::core::idset::IdSet;
use crate::core::request::RequestSpec;

/// Walks one list: produces the request for each next page and stops when Graph says the list
/// ended, or when a cursor repeats (which would otherwise loop forever).
#[derive(Debug, Clone)]
pub struct Pager {
    next: Option<RequestSpec>,
    seen_cursors: IdSet,
}

impl Pager {
    pub fn new(first: RequestSpec) -> Self {
        Pager {
            next: Some(first),
            seen_cursors: IdSet::new(),
        }
    }

    /// The request to send next, or `None` when the list is done.
    pub fn next_request(&self) -> Option<&RequestSpec> {
        self.next.as_ref()
    }

    /// Records the `paging` of the page just received. An empty page that still has `next` does
    /// not end the list.
    pub fn advance(&mut self, paging: Option<&Value>) {
        let Some(current) = self.next.take() else {
            return;
        };
        let params = next_page_params(paging);
        let key: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if params.is_empty() || !self.seen_cursors.insert(&key.join("&")) {
            return;
        }
        let mut next = current;
        next.remove("before");
        for (k, v) in params {
            next.set(k, v);
        }
        self.next = Some(next);
    }
}

/// Paging parameters Graph puts in `next` URLs besides `after` (time- and token-based paging of
/// some edges); carried over when a page has no `cursors.after`.
const NEXT_PAGE_PARAMS: &[&str] = &[
    "after",
    "__after_id",
    "__paging_token",
    "until",
    "since",
    "offset",
];

/// What to add to the current request to get the next page: `after` from `cursors.after`, or
/// else the paging parameters of `next`; nothing when Graph says the list is over. Only these
/// parameters are taken from `next`, never its host or path.
pub fn next_page_params(paging: Option<&Value>) -> Vec<(&'static str, String)> {
    if let Some(after) = next_cursor(paging) {
        return vec![("after", after)];
    }
    let Some(next) = paging.and_then(|p| p.get("next")).and_then(Value::as_str) else {
        return Vec::new();
    };
    NEXT_PAGE_PARAMS
        .iter()
        .filter_map(|k| {
            query_param(next, k)
                .filter(|v| !v.is_empty())
                .map(|v| (*k, v))
        })
        .collect()
}

/// The cursor of the next page, if Graph says there is one (`paging.next` present).
pub fn next_cursor(paging: Option<&Value>) -> Option<String> {
    let paging = paging?;
    let next = paging.get("next")?.as_str()?;
    paging
        .get("cursors")
        .and_then(|c| c.get("after"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| query_param(next, "after"))
        .filter(|c| !c.is_empty())
}

/// One query parameter of a URL, percent-decoded.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paging(after: Option<&str>, next: Option<&str>) -> Value {
        let mut p = json!({"cursors": {"before": "B"}});
        if let Some(a) = after {
            p["cursors"]["after"] = a.into();
        }
        if let Some(n) = next {
            p["next"] = n.into();
        }
        p
    }

    fn first() -> RequestSpec {
        RequestSpec {
            path: "/me/conversations".into(),
            query: vec![
                ("platform".into(), "messenger".into()),
                ("before".into(), "X".into()),
            ],
        }
    }

    #[test]
    fn follows_cursors_against_our_own_request_not_the_next_url() {
        let mut pager = Pager::new(first());
        pager.advance(Some(&paging(
            Some("C1"),
            Some("https://evil.example/steal?after=C9"),
        )));
        let next = pager.next_request().unwrap();
        assert_eq!(
            next.path_and_query(),
            "/me/conversations?platform=messenger&after=C1"
        );
    }

    #[test]
    fn stops_without_next_and_on_a_repeated_cursor() {
        let mut pager = Pager::new(first());
        pager.advance(Some(&paging(Some("C1"), None)));
        assert!(pager.next_request().is_none());

        let mut pager = Pager::new(first());
        pager.advance(Some(&paging(Some("C1"), Some("n"))));
        pager.advance(Some(&paging(Some("C2"), Some("n"))));
        assert!(pager.next_request().is_some());
        pager.advance(Some(&paging(Some("C1"), Some("n"))));
        assert!(
            pager.next_request().is_none(),
            "C1 came back: stop, do not loop"
        );
    }

    #[test]
    fn other_paging_styles_in_next_are_carried_over_not_its_host() {
        let mut pager = Pager::new(first());
        let p = serde_json::json!({"next": "https://evil.example/v26.0/x?limit=25&until=1700000000&__paging_token=enc%3D&access_token=T"});
        pager.advance(Some(&p));
        let next = pager.next_request().unwrap();
        assert_eq!(
            next.path_and_query(),
            "/me/conversations?platform=messenger&__paging_token=enc%3D&until=1700000000"
        );
        pager.advance(Some(&p));
        assert!(
            pager.next_request().is_none(),
            "the same parameters twice: stop"
        );
        let mut pager = Pager::new(first());
        pager.advance(Some(&serde_json::json!({"next": "https://g/x?limit=25"})));
        assert!(
            pager.next_request().is_none(),
            "no paging parameter: nothing to follow"
        );
    }

    #[test]
    fn cursor_can_come_from_the_next_url_alone() {
        let p = json!({"next": "https://graph.facebook.com/v26.0/1/conversations?limit=25&after=QVF%3D"});
        assert_eq!(next_cursor(Some(&p)).as_deref(), Some("QVF="));
        assert_eq!(next_cursor(None), None);
    }
}
