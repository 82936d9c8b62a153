#![cfg(not(target_arch = "wasm32"))]
//! The merged inbox is exact: a generated ground truth (accounts on both platforms, threads,
//! messages, edits, reactions, reads, unsends), observed as Graph sync pages and as Meta's webhook
//! bodies (run through `parse_webhook`) delivered with duplicates, reordering, redelivery, the
//! Instagram double-login copies and a dropped stretch repaired by an incremental sync, ends in
//! exactly the truth; and the record-level functions over a serialising store agree with `Inbox`.
//!
//! Message times within a thread are at least 1 s apart, so Graph's whole seconds order them
//! like the webhooks' milliseconds (floor(a) <= a <= b - 1000 < floor(b)); ties never arise.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Value};

use graph_conversations::{
    changes_of_event, changes_of_sync, parse_webhook, thread_key, thread_view, Conversation, Inbox,
    InboxAccount, InboxThread, Message, MessageChange, MessageRecord, Platform, SyncedConversation,
    ThreadChange, ThreadRecord, WebhookEvent,
};

const SEEDS: u64 = 200;
const START_MS: i64 = 1_767_225_600_000;

/// splitmix64: deterministic, so a failing seed replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The ground truth.

struct Account {
    platform: Platform,
    id: String,
}

struct Thread {
    account: usize,
    customer: String,
    conversation_id: String,
}

#[derive(Clone, Debug)]
enum Op {
    Send {
        thread: usize,
        msg: usize,
        by_customer: bool,
        text: String,
        image: Option<String>,
    },
    Edit {
        msg: usize,
        num: u32,
        text: String,
    },
    React {
        msg: usize,
        name: &'static str,
        emoji: &'static str,
    },
    Unreact {
        msg: usize,
    },
    /// Messenger: everything up to the read's time; Instagram: up to `mid`.
    Read {
        thread: usize,
        mid: Option<usize>,
    },
    Unsend {
        msg: usize,
    },
}

#[derive(Clone, Debug, Default)]
struct MsgState {
    thread: usize,
    time: i64,
    by_customer: bool,
    text: String,
    image: Option<String>,
    edits: u32,
    unsent: bool,
    reaction: Option<&'static str>,
}

/// The world after some prefix of its operations.
#[derive(Clone, Default)]
struct State {
    msgs: Vec<MsgState>,
    /// Per thread: the newest read, as (time of the read, Instagram mid).
    reads: HashMap<usize, (i64, Option<usize>)>,
}

impl State {
    fn apply(&mut self, time: i64, op: &Op) {
        match op {
            Op::Send {
                thread,
                by_customer,
                text,
                image,
                ..
            } => self.msgs.push(MsgState {
                thread: *thread,
                time,
                by_customer: *by_customer,
                text: text.clone(),
                image: image.clone(),
                ..Default::default()
            }),
            Op::Edit { msg, num, text } => {
                self.msgs[*msg].edits = *num;
                self.msgs[*msg].text = text.clone();
            }
            Op::React { msg, emoji, .. } => self.msgs[*msg].reaction = Some(emoji),
            Op::Unreact { msg } => self.msgs[*msg].reaction = None,
            Op::Read { thread, mid } => {
                self.reads.insert(*thread, (time, *mid));
            }
            Op::Unsend { msg } => self.msgs[*msg].unsent = true,
        }
    }

    /// The thread's messages still shown, newest first.
    fn shown(&self, thread: usize) -> Vec<usize> {
        let mut ids: Vec<usize> = (0..self.msgs.len())
            .filter(|&m| self.msgs[m].thread == thread && !self.msgs[m].unsent)
            .collect();
        ids.sort_by_key(|&m| std::cmp::Reverse(self.msgs[m].time));
        ids
    }

    fn newest(&self, thread: usize) -> Option<i64> {
        self.msgs
            .iter()
            .filter(|m| m.thread == thread)
            .map(|m| m.time)
            .max()
    }
}

struct World {
    accounts: Vec<Account>,
    threads: Vec<Thread>,
    ops: Vec<(i64, Op)>,
}

const REACTIONS: [(&str, &str); 4] = [
    ("love", "\u{2764}\u{fe0f}"),
    ("smile", "\u{1f604}"),
    ("laugh", "\u{1f602}"),
    ("wow", "\u{1f62e}"),
];

fn mid(world: &World, msg: usize) -> String {
    let ops = world.ops.iter();
    let thread = ops
        .filter_map(|(_, op)| match op {
            Op::Send { thread, msg: m, .. } if *m == msg => Some(*thread),
            _ => None,
        })
        .next()
        .unwrap();
    match world.accounts[world.threads[thread].account].platform {
        Platform::Messenger => format!("m_{msg}"),
        _ => format!("aWdfZAG1faXRlbToxOk{msg}"),
    }
}

fn generate(rng: &mut Rng) -> World {
    // Ids beyond 2^53, as Meta's are.
    let accounts = vec![
        Account {
            platform: Platform::Messenger,
            id: "104335678901234567".into(),
        },
        Account {
            platform: Platform::Messenger,
            id: "204335678901234567".into(),
        },
        Account {
            platform: Platform::Instagram,
            id: "17841470026191358".into(),
        },
    ];
    let mut threads = Vec::new();
    for (a, account) in accounts.iter().enumerate() {
        for c in 0..1 + rng.below(3) {
            threads.push(Thread {
                account: a,
                customer: format!("{}{a}{c}", 72345678901234567u64 + rng.below(1000) as u64),
                conversation_id: format!("t_{}_{a}_{c}", account.id),
            });
        }
    }
    let busy = rng.below(threads.len());
    let mut state = State::default();
    let mut ops = Vec::new();
    let mut time = START_MS + rng.below(1000) as i64;
    for _ in 0..100 + rng.below(60) {
        time += 1000 + rng.below(3000) as i64;
        let thread = if rng.percent(45) {
            busy
        } else {
            rng.below(threads.len())
        };
        let instagram = accounts[threads[thread].account].platform == Platform::Instagram;
        let live: Vec<usize> = (0..state.msgs.len())
            .filter(|&m| state.msgs[m].thread == thread && !state.msgs[m].unsent)
            .collect();
        let pick = |rng: &mut Rng, pred: &dyn Fn(&MsgState) -> bool| {
            let fits: Vec<usize> = live
                .iter()
                .copied()
                .filter(|&m| pred(&state.msgs[m]))
                .collect();
            (!fits.is_empty()).then(|| fits[rng.below(fits.len())])
        };
        let roll = rng.below(100);
        let op = match roll {
            50..=59 if !instagram => pick(rng, &|m| m.by_customer && m.edits < 5).map(|msg| {
                let num = state.msgs[msg].edits + 1;
                Op::Edit {
                    msg,
                    num,
                    text: format!("edit {num} of {msg}"),
                }
            }),
            60..=71 => pick(rng, &|_| true).map(|msg| {
                let (name, emoji) = REACTIONS[rng.below(REACTIONS.len())];
                Op::React { msg, name, emoji }
            }),
            72..=77 => pick(rng, &|m| m.reaction.is_some()).map(|msg| Op::Unreact { msg }),
            78..=87 if !instagram => (!live.is_empty()).then_some(Op::Read { thread, mid: None }),
            78..=87 => pick(rng, &|m| !m.by_customer).map(|m| Op::Read {
                thread,
                mid: Some(m),
            }),
            88..=93 if instagram => pick(rng, &|m| m.by_customer).map(|msg| Op::Unsend { msg }),
            _ => None,
        };
        let op = op.unwrap_or_else(|| Op::Send {
            thread,
            msg: state.msgs.len(),
            by_customer: rng.percent(60),
            text: format!("text {} {}", state.msgs.len(), "é/😀"),
            image: rng
                .percent(25)
                .then(|| format!("https://cdn.example/{}.jpg", state.msgs.len())),
        });
        state.apply(time, &op);
        ops.push((time, op));
    }
    World {
        accounts,
        threads,
        ops,
    }
}

fn state_at(world: &World, ops: usize) -> State {
    let mut state = State::default();
    for (time, op) in &world.ops[..ops] {
        state.apply(*time, op);
    }
    state
}

// ---------------------------------------------------------------------------------------------
// What Meta sends: webhook items and Graph pages.

/// The messaging item of an operation, as Meta sends it; `None` for what fires no webhook.
fn webhook_item(world: &World, index: usize, num_as_text: bool) -> (usize, Value) {
    let (time, op) = &world.ops[index];
    let thread_of = |msg: usize| {
        world.ops.iter().find_map(|(_, op)| match op {
            Op::Send { thread, msg: m, .. } if *m == msg => Some(*thread),
            _ => None,
        })
    };
    let thread = match op {
        Op::Send { thread, .. } | Op::Read { thread, .. } => *thread,
        Op::Edit { msg, .. } | Op::React { msg, .. } | Op::Unreact { msg } | Op::Unsend { msg } => {
            thread_of(*msg).unwrap()
        }
    };
    let t = &world.threads[thread];
    let account = &world.accounts[t.account].id;
    let (from, to) = (json!({"id": t.customer}), json!({"id": account}));
    let mut item = json!({"sender": from, "recipient": to, "timestamp": time});
    match op {
        Op::Send {
            msg,
            by_customer,
            text,
            image,
            ..
        } => {
            let mut message = json!({"mid": mid(world, *msg), "text": text});
            if let Some(url) = image {
                message["attachments"] = json!([{"type": "image", "payload": {"url": url}}]);
            }
            if !by_customer {
                message["is_echo"] = json!(true);
                message["app_id"] = json!(263902037430900u64);
                item["sender"] = to;
                item["recipient"] = from;
            }
            item["message"] = message;
        }
        Op::Edit { msg, num, text } => {
            let num = if num_as_text {
                json!(num.to_string())
            } else {
                json!(num)
            };
            item["message_edit"] = json!({"mid": mid(world, *msg), "text": text, "num_edit": num});
        }
        Op::React { msg, name, emoji } => {
            item["reaction"] = json!({"mid": mid(world, *msg), "action": "react", "reaction": name, "emoji": emoji});
        }
        Op::Unreact { msg } => {
            item["reaction"] = json!({"mid": mid(world, *msg), "action": "unreact"});
        }
        Op::Read { mid: Some(m), .. } => item["read"] = json!({"mid": mid(world, *m)}),
        Op::Read { mid: None, .. } => item["read"] = json!({"watermark": time}),
        Op::Unsend { msg } => {
            item["message"] = json!({"mid": mid(world, *msg), "is_deleted": true});
        }
    }
    (t.account, item)
}

/// One POST of operations `batch` (all of one platform): entries per account, in batch order.
fn webhook_body(world: &World, batch: &[usize], rng: &mut Rng) -> Vec<u8> {
    let mut entries: Vec<(usize, Vec<Value>)> = Vec::new();
    for &index in batch {
        let (account, item) = webhook_item(world, index, rng.percent(50));
        match entries.last_mut() {
            Some((a, items)) if *a == account && rng.percent(70) => items.push(item),
            _ => entries.push((account, vec![item])),
        }
    }
    let platform = world.accounts[entries[0].0].platform;
    let object = if platform == Platform::Instagram {
        "instagram"
    } else {
        "page"
    };
    let entry: Vec<Value> = entries
        .into_iter()
        .map(|(a, items)| json!({"id": world.accounts[a].id, "time": START_MS, "messaging": items}))
        .collect();
    serde_json::to_vec(&json!({"object": object, "entry": entry})).unwrap()
}

fn graph_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms.div_euclid(1000) * 1000)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string()
}

/// What Graph returns for thread `t` at a snapshot: the conversation with its participants and
/// every message shown, newest first, with details for the newest 20 only.
fn graph_page(
    world: &World,
    state: &State,
    t: usize,
) -> (Conversation, Vec<Message>, InboxAccount) {
    let thread = &world.threads[t];
    let account = &world.accounts[thread.account];
    let conversation = json!({
        "id": thread.conversation_id,
        "updated_time": graph_time(state.newest(t).unwrap()),
        "participants": {"data": [{"id": thread.customer, "name": "Customer"}, {"id": account.id, "name": "Business"}]},
    });
    let messages: Vec<Value> = state
        .shown(t)
        .into_iter()
        .enumerate()
        .map(|(rank, m)| {
            let s = &state.msgs[m];
            let mut message = json!({"id": mid(world, m), "created_time": graph_time(s.time)});
            if rank < 20 {
                let (from, to) = if s.by_customer { (&thread.customer, &account.id) } else { (&account.id, &thread.customer) };
                message["from"] = json!({"id": from, "name": "Someone"});
                message["to"] = json!({"data": [{"id": to}]});
                message["message"] = json!(s.text);
                if let Some(url) = &s.image {
                    message["attachments"] = json!({"data": [{"id": format!("att_{m}"), "image_data": {"url": url, "width": 10}}]});
                }
                if let Some(emoji) = s.reaction {
                    message["reactions"] = json!({"data": [{"reaction": emoji, "users": [{"id": thread.customer}]}]});
                }
            }
            message
        })
        .collect();
    (
        serde_json::from_value(conversation).unwrap(),
        serde_json::from_value(Value::Array(messages)).unwrap(),
        InboxAccount {
            platform: account.platform,
            account_id: account.id.clone(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The delivery schedule and its expected outcome.

/// What reaches the inbox, in order.
#[derive(Clone)]
enum Action {
    Events(Vec<WebhookEvent>),
    Sync(Box<Conversation>, Vec<Message>, InboxAccount),
}

enum Step {
    Post(Vec<usize>),
    Sync { ops: usize, thread: usize },
}

/// POSTs of `ops` (chunks of 1 to 4 of one platform, sometimes with an item twice), plus a second
/// chunking of the Instagram ones (an account connected through both logins).
fn posts(world: &World, ops: &[usize], rng: &mut Rng) -> Vec<Step> {
    let instagram = |i: &usize| {
        let (account, _) = webhook_item(world, *i, false);
        world.accounts[account].platform == Platform::Instagram
    };
    let (ig, fb): (Vec<usize>, Vec<usize>) = ops.iter().partition(|i| instagram(i));
    let mut steps = Vec::new();
    for (group, copies) in [(ig, 2), (fb, 1)] {
        for _ in 0..copies {
            let mut rest = group.clone();
            rng.shuffle(&mut rest);
            while !rest.is_empty() {
                let n = (1 + rng.below(4)).min(rest.len());
                let mut batch: Vec<usize> = rest.drain(..n).collect();
                if rng.percent(10) {
                    batch.push(batch[0]);
                }
                steps.push(Step::Post(batch));
            }
        }
    }
    steps
}

struct Run {
    actions: Vec<Action>,
    /// Messages whose webhook was delivered.
    delivered: HashSet<usize>,
    /// Messages a sync listed with details.
    detailed: HashSet<usize>,
    /// Threads a sync listed.
    synced: HashSet<usize>,
}

fn to_actions(world: &World, steps: Vec<Step>, rng: &mut Rng, run: &mut Run) -> Vec<Action> {
    let mut actions = Vec::new();
    for step in steps {
        match step {
            Step::Post(batch) => {
                for &i in &batch {
                    if let (_, Op::Send { msg, .. }) = &world.ops[i] {
                        run.delivered.insert(*msg);
                    }
                }
                let body = webhook_body(world, &batch, rng);
                actions.push(Action::Events(parse_webhook(&body).unwrap()));
            }
            Step::Sync { ops, thread } => {
                let state = state_at(world, ops);
                run.detailed
                    .extend(state.shown(thread).into_iter().take(20));
                run.synced.insert(thread);
                let (c, m, a) = graph_page(world, &state, thread);
                actions.push(Action::Sync(Box::new(c), m, a));
            }
        }
    }
    actions
}

fn apply(inbox: &mut Inbox, action: &Action) {
    match action {
        Action::Events(events) => inbox.apply_events(events),
        Action::Sync(c, m, a) => inbox.apply_sync(&synced(c, m, 0), a).unwrap(),
    }
}

/// Runs one world through the inbox: phase 1 delivers the first ops with the initial full sync
/// mixed in; phase 2 loses every message webhook (the subscription was down); then `since` is
/// read and the incremental sync of the threads updated since then is mixed into phase 3 with
/// the remaining ops and redeliveries of earlier POSTs.
fn run(world: &World, rng: &mut Rng, inbox: &mut Inbox) -> Run {
    let n = world.ops.len();
    let d0 = n * 2 / 5 + rng.below(n / 5);
    let d1 = (d0 + 3 + rng.below(12)).min(n);
    // Before `history` the app was not subscribed: those messages reach the inbox only through
    // the initial sync (the other events of that time did come, so the truth stays knowable).
    let history = if rng.percent(50) {
        rng.below(d0 / 2)
    } else {
        0
    };
    let k0 = history.max(1) + rng.below(d0 - history.max(1) + 1);
    let mut run = Run {
        actions: Vec::new(),
        delivered: HashSet::new(),
        detailed: HashSet::new(),
        synced: HashSet::new(),
    };
    let existing = |ops: usize| {
        let state = state_at(world, ops);
        (0..world.threads.len()).filter(move |&t| state.newest(t).is_some())
    };

    let first: Vec<usize> = (0..d0)
        .filter(|&i| i >= history || !matches!(world.ops[i].1, Op::Send { .. }))
        .collect();
    let mut steps = posts(world, &first, rng);
    steps.extend(existing(k0).map(|thread| Step::Sync { ops: k0, thread }));
    rng.shuffle(&mut steps);
    let mut phase = to_actions(world, steps, rng, &mut run);
    let kept: Vec<usize> = (d0..d1)
        .filter(|&i| !matches!(world.ops[i].1, Op::Send { .. }))
        .collect();
    let mut steps = posts(world, &kept, rng);
    rng.shuffle(&mut steps);
    phase.extend(to_actions(world, steps, rng, &mut run));
    for action in &phase {
        apply(inbox, action);
    }
    run.actions = phase;

    let since_ms = inbox.since().map(|s| {
        chrono::DateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%z")
            .unwrap()
            .timestamp_millis()
    });
    let at_d1 = state_at(world, d1);
    let updated =
        |t: usize| since_ms.is_none_or(|since| at_d1.newest(t).unwrap() / 1000 * 1000 >= since);
    let mut steps = posts(world, &(d1..n).collect::<Vec<_>>(), rng);
    steps.extend(
        existing(d1)
            .filter(|&t| updated(t))
            .map(|thread| Step::Sync { ops: d1, thread }),
    );
    let mut phase = to_actions(world, steps, rng, &mut run);
    // Meta's retries: earlier POSTs again.
    for _ in 0..run.actions.len() / 4 {
        let again = run.actions[rng.below(run.actions.len())].clone();
        if matches!(again, Action::Events(_)) {
            phase.push(again);
        }
    }
    rng.shuffle(&mut phase);
    for action in &phase {
        apply(inbox, action);
    }
    run.actions.extend(phase);
    run
}

/// A message as the assertions compare it.
#[derive(Debug, PartialEq)]
struct Seen {
    id: String,
    text: Option<String>,
    image: Option<String>,
    reactions: Vec<(String, String)>,
}

fn seen(m: &Message) -> Seen {
    let image = m
        .attachments
        .as_ref()
        .and_then(|a| a.data.first())
        .and_then(|a| a.image_data.as_ref())
        .and_then(|i| i.url.clone());
    let mut reactions: Vec<(String, String)> = m
        .reactions
        .iter()
        .flat_map(|p| &p.data)
        .flat_map(|r| {
            r.users
                .iter()
                .flatten()
                .map(|u| (u.id.clone(), r.reaction.clone().unwrap_or_default()))
        })
        .collect();
    reactions.sort();
    Seen {
        id: m.id.clone(),
        text: m.message.clone(),
        image,
        reactions,
    }
}

/// A thread as the assertions compare it.
#[derive(Debug, PartialEq)]
struct ThreadSeen {
    key: String,
    conversation_id: Option<String>,
    updated_time: String,
    messages: Vec<Seen>,
    read_watermark: Option<i64>,
}

fn expected(world: &World, run: &Run) -> Vec<ThreadSeen> {
    let state = state_at(world, world.ops.len());
    let mut threads = Vec::new();
    for (t, thread) in world.threads.iter().enumerate() {
        let Some(newest) = state.newest(t) else {
            continue;
        };
        let account = &world.accounts[thread.account];
        let messages = state
            .shown(t)
            .into_iter()
            .map(|m| {
                let s = &state.msgs[m];
                // Details come with a delivered webhook or a sync's newest 20; an edit's text
                // shows even on a message known only by id.
                let known = run.delivered.contains(&m) || run.detailed.contains(&m);
                Seen {
                    id: mid(world, m),
                    text: (known || s.edits > 0).then(|| s.text.clone()),
                    image: s.image.clone().filter(|_| known),
                    reactions: s
                        .reaction
                        .map(|e| (thread.customer.clone(), e.to_owned()))
                        .into_iter()
                        .collect(),
                }
            })
            .collect();
        // Instagram reads name a message: its time, to the ms only if its webhook came.
        let read_watermark = state.reads.get(&t).map(|&(time, m)| match m {
            None => time,
            Some(m) if run.delivered.contains(&m) => state.msgs[m].time,
            Some(m) => state.msgs[m].time / 1000 * 1000,
        });
        threads.push(ThreadSeen {
            key: format!(
                "{}:{}:{}",
                account.platform.as_str(),
                account.id,
                thread.customer
            ),
            conversation_id: run
                .synced
                .contains(&t)
                .then(|| thread.conversation_id.clone()),
            updated_time: graph_time(newest),
            messages,
            read_watermark,
        });
    }
    threads.sort_by(|a, b| a.key.cmp(&b.key));
    threads
}

fn actual(threads: Vec<InboxThread>) -> Vec<ThreadSeen> {
    let mut seen: Vec<ThreadSeen> = threads
        .into_iter()
        .map(|t| ThreadSeen {
            key: t.key,
            conversation_id: t.conversation_id,
            updated_time: t.updated_time,
            messages: t.messages.iter().map(seen).collect(),
            read_watermark: t.read_watermark,
        })
        .collect();
    seen.sort_by(|a, b| a.key.cmp(&b.key));
    seen
}

#[test]
fn the_merged_inbox_equals_the_ground_truth() {
    let (mut old_undetailed, mut old_detailed) = (0, 0);
    for seed in 0..SEEDS {
        let mut rng = Rng(seed);
        let world = generate(&mut rng);
        let mut inbox = Inbox::new();
        let run = run(&world, &mut rng, &mut inbox);
        let threads = inbox.threads();
        let updated: Vec<&String> = threads.iter().map(|t| &t.updated_time).collect();
        assert!(
            updated.windows(2).all(|w| w[0] >= w[1]),
            "seed {seed}: newest activity first"
        );
        let (got, want) = (actual(threads), expected(&world, &run));
        assert_eq!(got, want, "seed {seed}");
        for thread in &got {
            for m in thread.messages.iter().skip(20) {
                if m.text.is_some() {
                    old_detailed += 1
                } else {
                    old_undetailed += 1
                }
            }
        }
    }
    // The generator reaches both sides of the newest-20 rule.
    assert!(
        old_detailed > SEEDS as usize && old_undetailed > 0,
        "{old_detailed} {old_undetailed}"
    );
}

// ---------------------------------------------------------------------------------------------
// Messenger removals: no webhook, only a later listing without the message.

const ONE_PAGE: &str = "104335678901234567";
const ONE_PSID: &str = "7234567890123456789";

/// A listing of the one Messenger thread of ONE_PAGE with ONE_PSID, and that inbox's account.
fn one_thread(updated_ms: i64, messages: Value) -> (Conversation, Vec<Message>, InboxAccount) {
    let conversation = json!({
        "id": "t_1", "updated_time": graph_time(updated_ms),
        "participants": {"data": [{"id": ONE_PSID}, {"id": ONE_PAGE}]},
    });
    let account = InboxAccount {
        platform: Platform::Messenger,
        account_id: ONE_PAGE.into(),
    };
    let conversation: Conversation = serde_json::from_value(conversation).unwrap();
    (
        conversation,
        serde_json::from_value(messages).unwrap(),
        account,
    )
}

#[test]
fn a_message_no_longer_listed_is_removed_but_a_newer_webhook_one_is_kept() {
    let (page, psid) = (ONE_PAGE, ONE_PSID);
    let at = |s: i64| START_MS + s * 1000;
    let listing = |ids: &[(&str, i64)]| {
        let messages: Vec<Value> = ids
            .iter()
            .map(|(id, s)| json!({"id": id, "created_time": graph_time(at(*s)), "message": id}))
            .collect();
        one_thread(at(30), Value::Array(messages))
    };
    let newer = format!(
        r#"{{"object":"page","entry":[{{"id":"{page}","time":1,"messaging":[{{"sender":{{"id":"{psid}"}},"recipient":{{"id":"{page}"}},"timestamp":{},"message":{{"mid":"m_4","text":"after the snapshot"}}}}]}}]}}"#,
        at(40) + 500
    );
    let ids = |inbox: &Inbox| -> Vec<String> {
        inbox.threads()[0]
            .messages
            .iter()
            .map(|m| m.id.clone())
            .collect()
    };

    let mut inbox = Inbox::new();
    let (c, first, account) = listing(&[("m_3", 30), ("m_2", 20), ("m_1", 10)]);
    inbox.apply_sync(&synced(&c, &first, 0), &account).unwrap();
    inbox.apply_events(&parse_webhook(newer.as_bytes()).unwrap());
    assert_eq!(ids(&inbox), ["m_4", "m_3", "m_2", "m_1"]);
    // The later listing (taken before m_4 reached Graph) has no m_2: removed; m_4 is newer than
    // anything listed, so it arrived after the listing and stays.
    let (c, second, _) = listing(&[("m_3", 30), ("m_1", 10)]);
    inbox.apply_sync(&synced(&c, &second, 0), &account).unwrap();
    assert_eq!(ids(&inbox), ["m_4", "m_3", "m_1"]);
    // A stale listing applied late does not bring m_2 back.
    inbox.apply_sync(&synced(&c, &first, 0), &account).unwrap();
    assert_eq!(ids(&inbox), ["m_4", "m_3", "m_1"]);
}

// Regression (found by the webhooks end-to-end test): Graph leaves `reactions` out when a message
// has none, and the merge kept the reactions of an earlier Graph copy, so a reaction removed
// while webhooks were lost stayed shown after the next sync read the message again.
#[test]
fn a_later_detailed_graph_copy_without_reactions_clears_them() {
    let listing = |message: Value| one_thread(START_MS, json!([message]));
    let reactions = |inbox: &Inbox| inbox.threads()[0].messages[0].reactions.clone();
    let time = graph_time(START_MS);
    let mut inbox = Inbox::new();
    let (c, reacted, account) = listing(json!({"id": "m_1", "created_time": time, "message": "hi",
        "reactions": {"data": [{"reaction": "😠", "users": [{"id": ONE_PSID}]}]}}));
    inbox
        .apply_sync(&synced(&c, &reacted, 0), &account)
        .unwrap();
    assert!(reactions(&inbox).is_some());
    // Only id and created_time (older than the newest 20): says nothing about reactions.
    let (c, bare, _) = listing(json!({"id": "m_1", "created_time": time}));
    inbox.apply_sync(&synced(&c, &bare, 0), &account).unwrap();
    assert!(reactions(&inbox).is_some());
    // Detailed, without `reactions`: there are none now.
    let (c, none, _) = listing(json!({"id": "m_1", "created_time": time, "message": "hi"}));
    inbox.apply_sync(&synced(&c, &none, 0), &account).unwrap();
    assert_eq!(reactions(&inbox), None);
    assert_eq!(
        inbox.threads()[0].messages[0].message.as_deref(),
        Some("hi")
    );
}

// ---------------------------------------------------------------------------------------------
// The record-level API over a store that keeps records as JSON, as a database would.

#[derive(Default)]
struct Store {
    threads: HashMap<String, String>,
    messages: HashMap<(String, String), String>,
    by_thread: HashMap<String, BTreeSet<String>>,
}

impl Store {
    fn thread(&self, platform: Platform, account: &str, user: &str) -> ThreadRecord {
        let key = thread_key(platform, account, user);
        self.threads.get(&key).map_or_else(
            || ThreadRecord::new(platform, account, user),
            |json| serde_json::from_str(json).unwrap(),
        )
    }

    fn message(&self, account: &str, id: &str, thread: &str) -> MessageRecord {
        let key = (account.to_owned(), id.to_owned());
        self.messages.get(&key).map_or_else(
            || MessageRecord::new(id, thread),
            |json| serde_json::from_str(json).unwrap(),
        )
    }

    /// Loads the thread, applies `change`, writes it back when it changed.
    fn change_thread(
        &mut self,
        platform: Platform,
        account: &str,
        user: &str,
        change: &ThreadChange,
    ) {
        let mut record = self.thread(platform, account, user);
        // A new record is written even when the change is a no-op: the thread now exists.
        let new = !self.threads.contains_key(&record.key);
        if record.apply(change) || new {
            self.threads
                .insert(record.key.clone(), serde_json::to_string(&record).unwrap());
        }
    }

    fn change_message(&mut self, account: &str, id: &str, thread: &str, change: &MessageChange) {
        let mut record = self.message(account, id, thread);
        self.by_thread
            .entry(thread.to_owned())
            .or_default()
            .insert(id.to_owned());
        if record.apply(change) {
            let key = (account.to_owned(), id.to_owned());
            self.messages
                .insert(key, serde_json::to_string(&record).unwrap());
        }
    }

    fn apply(&mut self, action: &Action) {
        match action {
            Action::Events(events) => {
                for event in events {
                    let Some(changes) = changes_of_event(&event.to_json_event()) else {
                        continue;
                    };
                    let (platform, account) = (event.platform, event.account_id.as_str());
                    let activity = ThreadChange::Activity(0);
                    let change = changes.thread_change.as_ref().unwrap_or(&activity);
                    self.change_thread(platform, account, &event.user_id, change);
                    if let Some((id, change)) = &changes.message {
                        self.change_message(account, id, &changes.thread, change);
                    }
                }
            }
            Action::Sync(conversation, listed, account) => {
                let listed: Vec<Value> = listed.iter().map(to_json).collect();
                let conversation = to_json(conversation);
                let changes = changes_of_sync(&conversation, &listed, account, 0).unwrap();
                let (platform, id) = (account.platform, account.account_id.as_str());
                self.change_thread(platform, id, &changes.user_id, &changes.thread_change);
                for (mid, change) in &changes.messages {
                    self.change_message(id, mid, &changes.thread, change);
                }
                let stored = self
                    .by_thread
                    .get(&changes.thread)
                    .cloned()
                    .unwrap_or_default();
                for mid in &stored {
                    if changes.removes(&self.message(id, mid, &changes.thread)) {
                        self.change_message(id, mid, &changes.thread, &MessageChange::Removed);
                    }
                }
            }
        }
    }

    fn view(&self, key: &str) -> InboxThread {
        let t: ThreadRecord = serde_json::from_str(&self.threads[key]).unwrap();
        let ids = self.by_thread.get(key).into_iter().flatten();
        let records: Vec<MessageRecord> =
            ids.map(|id| self.message(&t.account_id, id, key)).collect();
        thread_view(&t, &records).typed()
    }
}

#[test]
fn record_functions_over_a_serialising_store_agree_with_the_inbox() {
    for seed in 0..50 {
        let mut rng = Rng(seed);
        let world = generate(&mut rng);
        let mut inbox = Inbox::new();
        let run = run(&world, &mut rng, &mut inbox);
        let mut store = Store::default();
        for action in &run.actions {
            store.apply(action);
        }
        let threads = inbox.threads();
        let keys: BTreeSet<&String> = store.threads.keys().collect();
        assert_eq!(
            keys,
            threads.iter().map(|t| &t.key).collect(),
            "seed {seed}"
        );
        for thread in threads {
            assert_eq!(store.view(&thread.key), thread, "seed {seed}");
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// A `syncInbox` item of `conversation` and `messages`, read from Graph at `read_ms`.
fn synced(conversation: &Conversation, messages: &[Message], read_ms: i64) -> SyncedConversation {
    SyncedConversation {
        conversation: conversation.clone(),
        messages: messages.to_vec(),
        checkpoint: String::new(),
        read_at: read_ms,
    }
}

/// One Messenger delivery to ONE_PAGE from ONE_PSID of `item` (a messaging item's event key and
/// value) at `timestamp`, parsed.
fn delivery(timestamp: i64, key: &str, value: Value) -> Vec<WebhookEvent> {
    let item = json!({"sender": {"id": ONE_PSID}, "recipient": {"id": ONE_PAGE},
        "timestamp": timestamp, key: value});
    let body = json!({"object": "page", "entry": [{"id": ONE_PAGE, "time": timestamp,
        "messaging": [item]}]});
    parse_webhook(body.to_string().as_bytes()).unwrap()
}

// Found by the webhooks end-to-end test: while webhooks are lost, a reaction, an edit or an
// unsend of a thread's newest message changes Graph but not the inbox. A Graph read outranks
// webhook changes older than it (less the lag), and a listing read at a known time removes
// unlisted messages older than it (less the lag), the newest included.
#[test]
fn a_graph_read_outranks_older_webhook_changes_and_removes_older_unlisted_messages() {
    let at = |s: i64| START_MS + s * 1000;
    let read = at(600);
    let message = |text: &str| {
        json!({"id": "m_1", "created_time": graph_time(at(0)), "message": text,
            "from": {"id": ONE_PSID}})
    };
    let mut inbox = Inbox::new();
    let (c, first, account) = one_thread(at(0), json!([message("v0")]));
    inbox
        .apply_sync(&synced(&c, &first, at(1)), &account)
        .unwrap();
    let react = json!({"mid": "m_1", "action": "react", "reaction": "love", "emoji": "❤"});
    inbox.apply_events(&delivery(at(10), "reaction", react));
    let edit = json!({"mid": "m_1", "text": "v1", "num_edit": 1});
    inbox.apply_events(&delivery(at(11), "message_edit", edit));
    for (mid, s) in [("m_2", 120), ("m_3", 599)] {
        inbox.apply_events(&delivery(
            at(s),
            "message",
            json!({"mid": mid, "text": mid}),
        ));
    }
    let shown = |inbox: &Inbox| inbox.threads()[0].messages.clone();
    assert_eq!(shown(&inbox)[2].message.as_deref(), Some("v1"));
    assert!(shown(&inbox)[2].reactions.is_some());
    // Lost while the receiver was down: the unreact, edit 2, the unsend of m_2. Graph read at
    // `read` shows them; m_3 came 1 s before the read, within the lag: it stays.
    let (c, later, _) = one_thread(at(0), json!([message("v2")]));
    inbox
        .apply_sync(&synced(&c, &later, read), &account)
        .unwrap();
    let messages = shown(&inbox);
    let ids: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m_3", "m_1"]);
    assert_eq!(messages[1].message.as_deref(), Some("v2"));
    assert_eq!(messages[1].reactions, None);
    // A reaction newer than the read outranks it again.
    let again = json!({"mid": "m_1", "action": "react", "reaction": "wow", "emoji": "😮"});
    inbox.apply_events(&delivery(read + 5_000, "reaction", again));
    let reactions = shown(&inbox)[1]
        .reactions
        .clone()
        .expect("the newer reaction");
    assert_eq!(reactions.data[0].reaction.as_deref(), Some("😮"));
    // Without a read time (0), webhook changes always outrank Graph, as before.
    let mut unknown = Inbox::new();
    unknown.apply_events(&delivery(
        at(10),
        "reaction",
        json!({"mid": "m_1", "action": "react", "reaction": "love", "emoji": "❤"}),
    ));
    unknown
        .apply_sync(&synced(&c, &later, 0), &account)
        .unwrap();
    assert!(shown(&unknown)[0].reactions.is_some());
}
