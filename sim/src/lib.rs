//! graph-sim: a local stand-in for Meta's Graph API Conversations endpoints (Messenger and
//! Instagram), with seeded data, paging, the newest-20 rule, auth, rate limits and
//! deterministic fault injection.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let mut config = graph_sim::Config::default();
//! config.settings.rate = 0.0; // rate limits off
//! let sim = graph_sim::spawn(config).await?;
//! let url = format!("{}/v26.0/me/conversations?platform=messenger", sim.base_url());
//! // ... GET `url` with `Authorization: Bearer sim-page-token`
//! # Ok(()) }
//! ```

mod auth;
mod catalogue;
pub mod cli;
mod clock;
mod config;
mod control;
mod data;
mod errors;
mod execute;
mod faults;
mod fields;
mod heavy;
mod ids;
mod json;
mod log;
mod paging;
mod params;
mod pipeline;
mod query;
mod ratelimit;
mod render;
mod reply;
mod route;
mod server;
mod state;
mod store;
mod webhooks;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use catalogue::known_fields;
pub use clock::Clock;
pub use config::{Config, Faults, Settings};
pub use data::{
    ANCHOR, CUSTOMER_STRIDE, EXTRA_IG_ID_BASE, EXTRA_PAGE_ID_BASE, IGSID_BASE, IG_ID, IG_TOKEN,
    IG_USERNAME, MAX_PAGES, PAGE_ID, PAGE_NAME, PAGE_TOKEN, PSID_BASE,
};

/// The ID of extra Page `k` (1..=`Config::pages`): `EXTRA_PAGE_ID_BASE + k`.
pub fn extra_page_id(k: u32) -> String {
    data::Account::Page(k).id().into_owned()
}
pub use heavy::{request_cost, HeavyFailure, RefuseNested};
pub use pipeline::DEFAULT_VERSION;
pub use webhooks::{Delivery, APP_ID as WEBHOOK_APP_ID, DEFAULT_SECRET as DEFAULT_WEBHOOK_SECRET};

/// The `appsecret_proof` a client sends: hex HMAC-SHA256 keyed with the app secret over the
/// token, or over `token|time` when sent with `appsecret_time=time`.
pub fn appsecret_proof(app_secret: &str, token: &str, time: Option<i64>) -> String {
    auth::proof(app_secret, token, time)
}

/// Serves the simulator on `listener` until the returned future is dropped.
pub async fn serve(config: Config, listener: TcpListener) -> io::Result<()> {
    let sim = state::Sim::new(config, listener.local_addr()?)?;
    server::run(Arc::new(sim), listener).await
}

/// Starts the simulator on a free port of 127.0.0.1 in the current tokio runtime.
pub async fn spawn(config: Config) -> io::Result<SimHandle> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let sim = Arc::new(state::Sim::new(config, addr)?);
    Ok(SimHandle {
        addr,
        task: tokio::spawn(server::run(sim.clone(), listener)),
        sim,
    })
}

/// A running simulator; dropping it stops the server, its connections and its webhook
/// deliveries.
pub struct SimHandle {
    addr: SocketAddr,
    task: JoinHandle<io::Result<()>>,
    sim: Arc<state::Sim>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Subscribes `url` to the webhooks like `POST /__sim/webhooks/subscribe`: Meta's GET
    /// handshake first (with `Config::verify_token`), then delivery.
    pub async fn subscribe_webhooks(&self, url: &str) -> Result<(), String> {
        let token = self.sim.webhooks.verify_token();
        webhooks::handshake(&self.sim, url, &token).await?;
        self.sim.webhooks.subscribe(url.to_owned(), token);
        Ok(())
    }

    /// Every webhook POST so far, oldest first, with its exact bytes and signature.
    pub fn webhook_log(&self) -> Vec<Delivery> {
        self.sim.webhooks.log()
    }

    /// What `GET /__sim/webhooks` answers.
    pub fn webhook_status(&self) -> serde_json::Value {
        self.sim.webhooks.status()
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}
