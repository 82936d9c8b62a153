//! Shared helpers: an in-process simulator on port 0 and a plain HTTP client.
#![allow(dead_code)]

use graph_sim::{Config, SimHandle};
use reqwest::header::HeaderMap;
use serde_json::Value;

pub const PAGE: &str = graph_sim::PAGE_ID;
pub const IG: &str = graph_sim::IG_ID;
pub const PAGE_TOKEN: &str = graph_sim::PAGE_TOKEN;
pub const IG_TOKEN: &str = graph_sim::IG_TOKEN;

/// Rate limits off: most tests are about something else.
pub fn fast() -> Config {
    let mut config = Config::default();
    config.settings.rate = 0.0;
    config
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The Graph error object, asserting the envelope's shape.
    pub fn error(&self) -> Value {
        let v = self.json();
        let e = v["error"].clone();
        assert!(e["message"].is_string(), "no message: {v}");
        assert!(e["type"].is_string(), "no type: {v}");
        assert!(e["code"].is_u64(), "no code: {v}");
        assert_eq!(
            e["fbtrace_id"].as_str(),
            self.header("x-fb-trace-id"),
            "fbtrace_id matches the header"
        );
        e
    }
}

pub struct Sim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
    pub base: String,
}

pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    OAuthScheme(&'a str),
}

impl Sim {
    pub async fn start(config: Config) -> Sim {
        let handle = graph_sim::spawn(config).await.expect("simulator starts");
        let base = handle.base_url();
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        Sim { handle, http, base }
    }

    pub async fn fetch(&self, url: &str, auth: Auth<'_>) -> Resp {
        self.try_fetch(url, auth).await.expect("request completes")
    }

    pub async fn try_fetch(&self, url: &str, auth: Auth<'_>) -> reqwest::Result<Resp> {
        let req = self.http.get(url);
        let req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::OAuthScheme(t) => req.header("Authorization", format!("OAuth {t}")),
        };
        let r = req.send().await?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await?;
        Ok(Resp {
            status,
            headers,
            text,
        })
    }

    /// GET a path with the Page token in a Bearer header.
    pub async fn get(&self, path: &str) -> Resp {
        self.fetch(&format!("{}{path}", self.base), Auth::Bearer(PAGE_TOKEN))
            .await
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Resp {
        self.fetch(&format!("{}{path}", self.base), Auth::Bearer(token))
            .await
    }

    /// GET a path expecting 200, returning the JSON body.
    pub async fn ok(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        r.json()
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request completes");
        Resp {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            text: r.text().await.expect("body"),
        }
    }

    pub async fn control(&self, path: &str) -> Value {
        let r = self
            .fetch(&format!("{}{path}", self.base), Auth::None)
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        r.json()
    }

    /// Every item of a list, following `next` URLs as given (they carry the token).
    pub async fn walk_next(&self, first: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut page = self.ok(first).await;
        loop {
            items.extend(page["data"].as_array().expect("data").iter().cloned());
            let Some(next) = page["paging"]["next"].as_str() else {
                return items;
            };
            assert!(next.starts_with(&self.base), "absolute next URL: {next}");
            let r = self.fetch(next, Auth::None).await;
            assert_eq!(r.status, 200, "{next}: {}", r.text);
            page = r.json();
        }
    }

    /// Listed thread count of an inbox, from `/__sim/accounts`.
    pub async fn listed(&self, account: &str, platform: &str) -> usize {
        let accounts = self.control("/__sim/accounts").await;
        let acct = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == account)
            .expect("account");
        let inbox = acct["inboxes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["platform"] == platform)
            .expect("inbox");
        inbox["listed_threads"].as_u64().unwrap() as usize
    }
}

pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

/// An object's keys, sorted; empty for anything that is not an object.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn assert_no_repeats(ids: &[String]) {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        assert!(seen.insert(id), "{id} listed twice");
    }
}
