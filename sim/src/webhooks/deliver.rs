//! The delivery task: batches due events into POSTs, signs and sends them, and handles the
//! answer as Meta does (retry with backoff, disable after failing for too long).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::{header, Method};
use tokio::time::{sleep, sleep_until, Instant};

use super::{http, wire, Delivery, Pending, Webhooks, LOG_CAP, MAX_BATCH};
use crate::config::Settings;
use crate::json::{Json, Obj};
use crate::state::Sim;

/// Meta's subscription handshake: `GET url?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
/// must answer 200 with the challenge as its whole body.
pub async fn handshake(sim: &Sim, url: &str, verify_token: &str) -> Result<(), String> {
    let challenge = (sim.webhooks.next_challenge() % 2_000_000_000).to_string();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "subscribe")
        .append_pair("hub.verify_token", verify_token)
        .append_pair("hub.challenge", &challenge)
        .finish();
    let sep = if url.contains('?') { '&' } else { '?' };
    let timeout = Duration::from_millis(sim.settings().webhook_timeout_ms);
    let full = format!("{url}{sep}{query}");
    let (status, body) = http::send(Method::GET, &full, &[], Bytes::new(), timeout).await?;
    if status != 200 {
        return Err(format!("the handshake GET answered {status}, not 200"));
    }
    if body != challenge.as_bytes() {
        return Err(format!(
            "the handshake GET answered {:?}, not the challenge {challenge:?}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(())
}

/// Events of one `object` going out in one POST.
struct Batch {
    url: String,
    generation: u64,
    object: &'static str,
    events: Vec<Pending>,
}

pub async fn run(sim: Arc<Sim>) {
    let w = &sim.webhooks;
    loop {
        let next_due = w.lock().queue.iter().map(|p| p.due).min();
        match next_due {
            None => {
                w.wake.notified().await;
                continue;
            }
            Some(due) if due > Instant::now() => {
                tokio::select! {
                    () = sleep_until(due) => {}
                    () = w.wake.notified() => {}
                }
                continue;
            }
            Some(_) => {}
        }
        let settings = sim.settings();
        // Let the events of a burst pile up, so they go out together.
        sleep(Duration::from_millis(settings.webhook_batch_ms)).await;
        for batch in w.take(&settings) {
            send(&sim, &settings, batch).await;
        }
    }
}

impl Webhooks {
    pub(super) fn next_challenge(&self) -> u64 {
        let mut s = self.lock();
        crate::ids::hash(&[self.seed, 0x6368_616c, s.bump_draws()])
    }

    /// The due events, held back or duplicated as the settings say, split by `object`.
    fn take(&self, settings: &Settings) -> Vec<Batch> {
        let mut s = self.lock();
        let Some(url) = s.url.clone().filter(|_| s.enabled) else {
            return Vec::new();
        };
        let now = Instant::now();
        let window = Duration::from_millis(settings.webhook_batch_ms.max(1) * 2);
        let (mut due, rest): (Vec<Pending>, Vec<Pending>) =
            s.queue.drain(..).partition(|p| p.due <= now);
        s.queue = rest;
        due.sort_by_key(|p| p.event.seq);
        if due.len() > MAX_BATCH {
            s.queue.extend(due.split_off(MAX_BATCH));
        }
        let mut out: Vec<Batch> = Vec::new();
        for mut p in due {
            // Held back once: a later event overtakes it (Meta does not promise order).
            if !p.held && self.draw(&mut s) < settings.webhook_reorder_rate {
                p.held = true;
                p.due = now + window;
                s.queue.push(p);
                continue;
            }
            // The same event again in a later POST.
            if !p.copy && self.draw(&mut s) < settings.webhook_duplicate_rate {
                s.queue.push(Pending {
                    copy: true,
                    held: true,
                    attempts: 0,
                    due: now + window,
                    event: p.event.clone(),
                });
            }
            let object = p.event.object();
            match out.iter_mut().find(|b| b.object == object) {
                Some(b) => b.events.push(p),
                None => out.push(Batch {
                    url: url.clone(),
                    generation: s.generation,
                    object,
                    events: vec![p],
                }),
            }
        }
        out
    }

    /// Books the answer to a POST; on failure, retries or disables.
    fn record(&self, settings: &Settings, batch: Batch, delivery: Delivery) {
        let ok = delivery.status.is_some_and(|c| (200..300).contains(&c));
        let error = delivery
            .error
            .clone()
            .unwrap_or_else(|| format!("answered {}", delivery.status.unwrap_or_default()));
        self.push_log(delivery);
        let mut s = self.lock();
        if batch.generation != s.generation {
            return;
        }
        let now = Instant::now();
        if ok {
            s.counters.delivered += batch.events.len() as u64;
            s.failing_since = None;
            return;
        }
        s.counters.failed_attempts += 1;
        let since = *s.failing_since.get_or_insert(now);
        let failing = now - since;
        if failing >= Duration::from_millis(settings.webhook_disable_after_ms) {
            drop(s);
            self.unsubscribe(&format!(
                "webhook deliveries failed continuously for {} ms (limit {} ms); last error: {error}",
                failing.as_millis(),
                settings.webhook_disable_after_ms
            ));
            self.lock().counters.dropped += batch.events.len() as u64;
            return;
        }
        for mut p in batch.events {
            p.attempts += 1;
            let exp = 1u64 << (p.attempts - 1).min(30);
            let wait = settings
                .webhook_retry_base_ms
                .saturating_mul(exp)
                .min(settings.webhook_retry_max_ms.max(1));
            p.due = now + Duration::from_millis(wait);
            s.queue.push(p);
        }
    }
}

impl Webhooks {
    fn push_log(&self, delivery: Delivery) {
        let mut s = self.lock();
        s.counters.posts += 1;
        s.log.push_back(delivery);
        if s.log.len() > LOG_CAP {
            s.log.pop_front();
        }
    }
}

impl super::Inner {
    fn bump_draws(&mut self) -> u64 {
        self.draws += 1;
        self.draws
    }
}

/// `{"object", "entry": [...]}`: one entry per thread, in the order the threads first appear.
fn body(sim: &Sim, batch: &Batch) -> Obj {
    let time = sim.clock.now_ms();
    let mut entries: Vec<(crate::ids::ThreadRef, String, Vec<Json>)> = Vec::new();
    for p in &batch.events {
        let e = &p.event;
        let item = Json::Obj(e.item.clone());
        match entries.iter_mut().find(|(t, _, _)| *t == e.thread) {
            Some((_, _, items)) => items.push(item),
            None => entries.push((e.thread, e.entry_id(), vec![item])),
        }
    }
    let entries = entries
        .into_iter()
        .map(|(_, id, items)| {
            Json::Obj(
                Obj::new()
                    .with("id", id)
                    .with("time", time)
                    .with("messaging", Json::Arr(items)),
            )
        })
        .collect();
    Obj::new()
        .with("object", batch.object)
        .with("entry", Json::Arr(entries))
}

async fn send(sim: &Sim, settings: &Settings, batch: Batch) {
    let w = &sim.webhooks;
    let body = Bytes::from(wire::to_bytes(&body(sim, &batch)));
    let signature = wire::signature(&w.secret, &body);
    let post = |duplicate| post(sim, settings, &batch, body.clone(), &signature, duplicate);
    let first = post(false).await;
    let ok = first.status.is_some_and(|c| (200..300).contains(&c));
    // The same POST again after a success, as Meta does when it is unsure of an ack.
    let again = ok && {
        let mut s = w.lock();
        w.draw(&mut s) < settings.webhook_duplicate_rate
    };
    let second = if again { Some(post(true).await) } else { None };
    w.record(settings, batch, first);
    if let Some(d) = second {
        w.push_log(d);
    }
}

async fn post(
    sim: &Sim,
    settings: &Settings,
    batch: &Batch,
    body: Bytes,
    signature: &str,
    duplicate: bool,
) -> Delivery {
    let headers = [
        (header::CONTENT_TYPE, "application/json".to_owned()),
        (
            header::HeaderName::from_static("x-hub-signature-256"),
            signature.to_owned(),
        ),
    ];
    let timeout = Duration::from_millis(settings.webhook_timeout_ms);
    let time_ms = sim.clock.now_ms();
    let result = http::send(Method::POST, &batch.url, &headers, body.clone(), timeout).await;
    let (status, error) = match result {
        Ok((status, _)) => (Some(status), None),
        Err(e) => (None, Some(e)),
    };
    Delivery {
        time_ms,
        status,
        error,
        object: batch.object,
        events: batch.events.len(),
        attempt: batch
            .events
            .iter()
            .map(|p| p.attempts + 1)
            .max()
            .unwrap_or(1),
        duplicate,
        body_len: body.len(),
        mids: batch
            .events
            .iter()
            .filter_map(|p| p.event.mid.clone())
            .collect(),
        body,
        signature: signature.to_owned(),
    }
}
