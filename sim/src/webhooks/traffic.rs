//! Live traffic: inbox changes generated at `live_traffic` events per second. Step `n` is
//! decided by `hash(seed, n)` alone, so from the same state (after start-up or a reset) the
//! same seed makes the same changes in the same order.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::{sleep, sleep_until, Instant};

use super::changes;
use crate::data::text;
use crate::ids::{hash, unit, Inbox, Mailbox, MessageRef, ThreadRef};
use crate::state::Sim;
use crate::store::Added;

#[derive(Debug)]
pub struct State {
    pub seed: u64,
    pub step: u64,
    /// Stop after this many steps: a test asks for exactly N changes.
    pub limit: Option<u64>,
    /// The account IDs traffic is limited to, as asked; None: every account.
    pub accounts: Option<Vec<String>>,
    spread: Option<Spread>,
}

impl State {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            step: 0,
            limit: None,
            accounts: None,
            spread: None,
        }
    }
}

/// The inboxes traffic is limited to: every thread in them is equally likely.
#[derive(Debug, Clone)]
pub struct Spread {
    ids: Vec<String>,
    mailboxes: Vec<Mailbox>,
}

impl Spread {
    /// The inboxes of these accounts; the fixed Page's Instagram inbox, which is also the
    /// Instagram account's, counts once.
    pub fn only(sim: &Sim, ids: Vec<String>) -> Result<Self, String> {
        let mut mailboxes = Vec::new();
        for id in &ids {
            let a = sim
                .ds
                .account(id)
                .ok_or_else(|| format!("unknown account {id}"))?;
            for &inbox in sim.ds.inboxes(a) {
                let mb = a.mailbox(inbox);
                if !mailboxes.contains(&mb) {
                    mailboxes.push(mb);
                }
            }
        }
        Ok(Self { ids, mailboxes })
    }

    /// Thread `pick` of the listed inboxes, counted in order.
    fn locate(&self, sim: &Sim, mut pick: u64) -> Option<ThreadRef> {
        for &mb in &self.mailboxes {
            let n = u64::from(sim.ds.thread_count(mb));
            if pick < n {
                return Some(ThreadRef::new(mb, pick as u32));
            }
            pick -= n;
        }
        None
    }

    fn total(&self, sim: &Sim) -> u64 {
        let counts = self.mailboxes.iter().map(|&mb| sim.ds.thread_count(mb));
        counts.map(u64::from).sum()
    }
}

/// Every thread of every account, counted as the fixed Messenger inbox, the fixed Instagram
/// inbox, then each extra Page's Messenger and Instagram threads: by arithmetic, so a step
/// costs the same with 2,000 Pages. Without extra Pages this is the sequence traffic always had.
fn everywhere(sim: &Sim) -> (u64, impl Fn(u64) -> ThreadRef + '_) {
    let count = |page, inbox| u64::from(sim.ds.thread_count(Mailbox { page, inbox }));
    let fixed = [count(0, Inbox::Messenger), count(0, Inbox::Instagram)];
    let per_page = [count(1, Inbox::Messenger), count(1, Inbox::Instagram)];
    let page_total = per_page[0] + per_page[1];
    let total = fixed[0] + fixed[1] + u64::from(sim.ds.pages()) * page_total;
    let locate = move |pick: u64| {
        let (page, within, counts) = match pick.checked_sub(fixed[0] + fixed[1]) {
            None => (0, pick, fixed),
            Some(rest) => ((rest / page_total) as u32 + 1, rest % page_total, per_page),
        };
        let (inbox, index) = match within.checked_sub(counts[0]) {
            None => (Inbox::Messenger, within),
            Some(i) => (Inbox::Instagram, i),
        };
        ThreadRef::new(Mailbox { page, inbox }, index as u32)
    };
    (total, locate)
}

pub async fn run(sim: Arc<Sim>) {
    let mut next = Instant::now();
    loop {
        let rate = sim.settings().live_traffic;
        if rate <= 0.0 {
            sleep(Duration::from_millis(50)).await;
            next = Instant::now();
            continue;
        }
        // Never burst to catch up after a pause or a slow step.
        next = (next + Duration::from_secs_f64(1.0 / rate)).max(Instant::now());
        sleep_until(next).await;
        // Turned off while waiting: a `live_traffic: 0` that was answered makes no more changes.
        if sim.settings().live_traffic <= 0.0 {
            continue;
        }
        if !step(&sim) {
            // The asked number of steps is done: traffic turns itself off.
            sim.settings_mut().live_traffic = 0.0;
        }
    }
}

/// Restarts the sequence with `seed`, for at most `limit` steps, over `spread` (None: every
/// account).
pub fn restart(sim: &Sim, seed: u64, limit: Option<u64>, spread: Option<Spread>) {
    sim.webhooks.lock().traffic = State {
        limit,
        accounts: spread.as_ref().map(|s| s.ids.clone()),
        spread,
        ..State::new(seed)
    };
}

/// The newest message of a thread that is not unsent and satisfies `pred(from_business)`.
fn newest(sim: &Sim, t: ThreadRef, business: bool) -> Option<MessageRef> {
    let overlay = sim.overlay();
    let view = overlay.view(&sim.ds, t);
    (0..view.total())
        .rev()
        .take(50)
        .find(|&k| {
            let by_business = match view.added_message(k) {
                Some(a) => a.from_business,
                None => sim.ds.sent_by_business(&view.base, k),
            };
            !view.unsent(k) && by_business == business
        })
        .map(|k| view.message_ref(k))
}

/// One generated change: mostly customer messages, some business replies, reactions and
/// reads, an edit (Messenger) or an unsend (Instagram) now and then. False once the step
/// limit is reached. The step is counted once its change is made, so a reader that sees
/// `traffic.steps` at N (or at the limit) sees every change up to N in the inbox.
pub fn step(sim: &Sim) -> bool {
    let (seed, n, spread) = {
        let s = sim.webhooks.lock();
        if s.traffic.limit.is_some_and(|l| s.traffic.step >= l) {
            return false;
        }
        (s.traffic.seed, s.traffic.step + 1, s.traffic.spread.clone())
    };
    make_step(sim, seed, n, spread.as_ref());
    let mut s = sim.webhooks.lock();
    // Unless a reset or a restart began another sequence meanwhile.
    if s.traffic.seed == seed && s.traffic.step == n - 1 {
        s.traffic.step = n;
    }
    true
}

/// Makes the change of step `n` of the sequence `seed`.
fn make_step(sim: &Sim, seed: u64, n: u64, spread: Option<&Spread>) {
    let h = |k: u64| hash(&[seed, 0x7472_6166, n, k]);
    let t = match spread {
        Some(spread) => match spread.total(sim) {
            0 => None,
            total => spread.locate(sim, h(0) % total),
        },
        None => match everywhere(sim) {
            (0, _) => None,
            (total, locate) => Some(locate(h(0) % total)),
        },
    };
    let Some(t) = t else {
        return;
    };
    let say = |business: bool| {
        let bank = if business {
            text::BUSINESS_TEXTS
        } else {
            text::CUSTOMER_TEXTS
        };
        let text = bank[(h(2) % bank.len() as u64) as usize].to_owned();
        changes::add_message(
            sim,
            t,
            Added {
                created: 0,
                from_business: business,
                text,
                attachments: Vec::new(),
            },
        );
    };
    let roll = unit(h(1));
    let done = match roll {
        r if r < 0.55 => Ok(serde_json::Value::Null),
        r if r < 0.72 => {
            say(true);
            return;
        }
        r if r < 0.84 => match newest(sim, t, true) {
            Some(m) => {
                let names: &[&str] = &["love", "like", "wow", "sad"];
                let name = names[(h(3) % names.len() as u64) as usize].to_owned();
                changes::react(sim, m, Some(name), None, h(4) % 5 != 0)
                    .or_else(|_| changes::react(sim, m, None, None, true))
            }
            None => Ok(serde_json::Value::Null),
        },
        r if r < 0.94 => changes::read(sim, t),
        r => match newest(sim, t, false) {
            Some(m) if t.inbox == Inbox::Messenger && r < 0.97 => {
                let bank = text::CUSTOMER_TEXTS;
                let text = format!("{} (edited)", bank[(h(5) % bank.len() as u64) as usize]);
                changes::edit(sim, m, text)
            }
            Some(m) => changes::unsend(sim, m),
            None => Ok(serde_json::Value::Null),
        },
    };
    // Whatever could not apply (nothing to react to or read) becomes a customer message.
    if !matches!(done, Ok(ref v) if !v.is_null()) {
        say(false);
    }
}
