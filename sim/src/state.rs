//! The simulator's shared state.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::clock::Clock;
use crate::config::{self, Config, Settings};
use crate::data::{Account, Dataset, Sizes};
use crate::faults::FaultState;
use crate::ids::hash;
use crate::log::{RequestLog, Stats};
use crate::ratelimit::Limiter;
use crate::store::Overlay;
use crate::webhooks::{self, Webhooks};

/// Counters and buckets, reset together by `/__sim/reset`.
#[derive(Debug, Default)]
pub struct Runtime {
    pub limiter: Limiter,
    pub faults: FaultState,
    pub stats: Stats,
    traces: u64,
}

impl Runtime {
    /// The next `fbtrace_id`: deterministic per seed and request order.
    pub fn next_trace(&mut self, seed: u64) -> String {
        self.traces += 1;
        let h = hash(&[seed, 0x0074_7261_6365, self.traces]);
        URL_SAFE_NO_PAD.encode(h.to_be_bytes())[..11].to_owned()
    }
}

pub struct Sim {
    pub seed: u64,
    pub ds: Dataset,
    pub detail_window: u32,
    tokens: [(String, Account); 2],
    pub app_secret: Option<String>,
    pub www: Option<PathBuf>,
    pub clock: Clock,
    /// `host:port` for `next` URLs when a request has no usable Host header.
    pub authority: String,
    settings: Mutex<Settings>,
    overlay: RwLock<Overlay>,
    runtime: Mutex<Runtime>,
    log: Mutex<RequestLog>,
    pub webhooks: Webhooks,
}

/// A poisoned lock only means another request panicked; the data is still consistent enough
/// for a simulator, and a bad request must never take the server down.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Sim {
    pub fn new(config: Config, addr: SocketAddr) -> io::Result<Self> {
        config.validate()?;
        let log = RequestLog::open(config.log.as_deref())?;
        Ok(Self {
            seed: config.seed,
            ds: Dataset::new(
                config.seed,
                Sizes {
                    threads: [config.messenger_threads, config.instagram_threads],
                    pages: config.pages,
                    page_threads: [config.page_threads, config.page_instagram_threads],
                    messages: (*config.messages.start(), *config.messages.end()),
                },
            ),
            detail_window: config.detail_window,
            settings: Mutex::new(config.settings),
            tokens: [
                (config.page_token, Account::Page(0)),
                (config.ig_token, Account::Instagram),
            ],
            webhooks: Webhooks::new(
                config.seed,
                config.webhook_url,
                config
                    .webhook_secret
                    .or_else(|| config.app_secret.clone())
                    .unwrap_or_else(|| webhooks::DEFAULT_SECRET.to_owned()),
                config.verify_token,
            ),
            app_secret: config.app_secret,
            www: config.www,
            clock: config.clock,
            authority: addr.to_string(),
            overlay: RwLock::default(),
            runtime: Mutex::default(),
            log: Mutex::new(log),
        })
    }

    pub fn account_for(&self, token: &str) -> Option<Account> {
        let fixed = self.tokens.iter().find(|(t, _)| t == token);
        fixed.map(|(_, a)| *a).or_else(|| {
            config::extra_page(&self.tokens[0].0, token, self.ds.pages()).map(Account::Page)
        })
    }

    pub fn token_of(&self, account: Account) -> String {
        match account {
            Account::Page(k) if k > 0 => config::extra_token(&self.tokens[0].0, k),
            _ => self
                .tokens
                .iter()
                .find(|(_, a)| *a == account)
                .map_or_else(String::new, |(t, _)| t.clone()),
        }
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn settings_mut(&self) -> MutexGuard<'_, Settings> {
        lock(&self.settings)
    }

    pub fn overlay(&self) -> RwLockReadGuard<'_, Overlay> {
        self.overlay.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn overlay_mut(&self) -> RwLockWriteGuard<'_, Overlay> {
        self.overlay.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn runtime(&self) -> MutexGuard<'_, Runtime> {
        lock(&self.runtime)
    }

    pub fn log(&self) -> MutexGuard<'_, RequestLog> {
        lock(&self.log)
    }

    /// Back to the seeded state: added messages, reactions, edits, reads and unsends,
    /// counters, buckets, the logs and pending webhook deliveries go; the settings and the
    /// webhook subscription stay as they are.
    pub fn reset(&self) {
        *self.overlay_mut() = Overlay::default();
        *self.runtime() = Runtime::default();
        self.log().clear();
        self.webhooks.reset();
    }
}
