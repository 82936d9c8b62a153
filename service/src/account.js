// AccountInbox: one Durable Object per connected account. Meta's 2 calls/s are per rate-limit
// bucket: the Page whose token reads the inbox (its Messenger inbox, and its Instagram account
// when read through the Page), or the Instagram account itself with an Instagram Login token.
// All Graph calls of a bucket go one at a time under a lease that the bucket's own object (the
// AccountInbox named by the Page or account id) grants, always from an alarm; the lease carries
// the package client's `nextCallAt` from one holder to the next, so the pace is exact per bucket
// across accounts, evictions and crashes.
//
// Its SQLite holds the account (sealed token, job, checkpoint, progress) in `state` and the
// merged inbox (store.js). A sync runs in slices of SLICE_REQUESTS Graph requests, one per alarm,
// each conversation stored in the same transaction as the checkpoint that follows it.

import { DurableObject } from "cloudflare:workers";
import { ConversationsClient, GraphApiError, clientDefaults, initWasm } from "graph-conversations";
import { openToken } from "./seal.js";
import { InboxStore } from "./store.js";
import { directory } from "./directory.js";
import { graphHosts } from "./hosts.js";

/** Graph requests per alarm: 20 s at 2/s, under the 50 subrequests of Workers Free. */
const SLICE_REQUESTS = 40;
/** Thread lookups (conversation id of a customer only webhooks showed) per alarm. */
const LOOKUPS_PER_ALARM = 10;
/** If an alarm dies mid-slice, the next one runs this much later and resumes. */
const WATCHDOG_MS = 30_000;
/** Failed slices retried with backoff (1, 2, 4, 8, 16 s) before the account shows `failed`. */
const MAX_ATTEMPTS = 5;
/** A lease on the bucket lapses after this long (a holder that crashed cannot block it for ever). */
const LEASE_MS = 60_000;
/** Error kinds no retry can fix: the token, its permissions, or the account itself. */
const PERMANENT = new Set(["auth", "permission", "not_found", "invalid_argument"]);
/** Progress and lastEventAt reach the directory at most this often (state changes always). */
const REPORT_EVERY_MS = 1_000;
/** Jobs this service makes; anything else is a poison message. */
const JOB_KINDS = new Set(["backfill", "catchup"]);

export class AccountInbox extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.running = false;
    this.newInstance = true;
    this.reportedAt = 0;
    this.streams = new Set();
    ctx.blockConcurrencyWhile(async () => {
      await initWasm();
      this.#schema();
    });
  }

  /** The tables (again after `deleteAll`, which drops them). */
  #schema() {
    const lag = Number(this.env.GRAPH_LAG_MS);
    this.store = new InboxStore(this.ctx.storage.sql, Number.isFinite(lag) && lag >= 0 ? { graphLagMs: lag } : undefined);
    for (const table of [
      "state (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)",
      "jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL)",
      "lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT, until INTEGER NOT NULL, next_call_at INTEGER NOT NULL)",
      "lookups (thread TEXT PRIMARY KEY, user_id TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)",
    ]) this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS ${table}`);
  }

  // ---- state ----

  #state() {
    const row = this.ctx.storage.sql.exec("SELECT value FROM state WHERE id = 1").toArray()[0];
    return row ? JSON.parse(row.value) : null;
  }

  #save(state) {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO state (id, value) VALUES (1, ?)", JSON.stringify(state));
  }

  /** What the API shows of the account: never the token. */
  #summary(state) {
    const summary = {
      accountId: state.accountId,
      platform: state.platform,
      status: state.status,
      progress: state.progress,
      threads: this.store.threadCount(),
      lastEventAt: state.lastEventAt ?? null,
    };
    if (state.error) summary.error = state.error;
    return summary;
  }

  #owned(tenant) {
    const state = this.#state();
    return state && state.tenant === tenant ? state : null;
  }

  /** Tells the directory (and live listeners) how the account stands. */
  async #report(state, { force = false } = {}) {
    const summary = this.#summary(state);
    this.#broadcast({ type: "account", account: summary });
    const now = Date.now();
    if (!force && now - this.reportedAt < REPORT_EVERY_MS) {
      // Not now, but not dropped: the state as it then is follows when the interval ends.
      this.trailingReport ??= setTimeout(() => {
        this.trailingReport = null;
        const latest = this.#state();
        if (latest) this.#toDirectory(latest).catch((e) => console.error("report failed", String(e?.message ?? e)));
      }, REPORT_EVERY_MS - (now - this.reportedAt));
      return;
    }
    await this.#toDirectory(state);
  }

  async #toDirectory(state) {
    this.reportedAt = Date.now();
    // The job the directory's sweeper re-sends while it has not finished.
    await directory(this.env).update({ ...this.#summary(state), tenant: state.tenant, job: state.job ?? state.pendingJob ?? null });
  }

  // ---- RPC from the Worker and the queue consumer ----

  /** Connects (or reconnects with a new token) the account; null when another tenant has it.
   * (Not `connect`: a stub has that name for TCP sockets.) */
  async connectAccount({ tenant, platform, accountId, pageId, sealedToken, host, job }) {
    const old = this.#state();
    if (old && old.tenant !== tenant) return null;
    const state = {
      ...(old ?? { progress: null, lastEventAt: null }),
      tenant, platform, accountId, pageId: pageId ?? null, sealedToken, host, bucket: pageId ?? accountId,
      status: "queued", job: null, pendingJob: job, checkpoint: null, since: null, error: null, attempts: 0,
      nextCallAt: old?.nextCallAt ?? 0,
    };
    this.#save(state);
    await this.#report(state, { force: true });
    return this.#summary(state);
  }

  /**
   * Starts a job (from the queue). At-least-once delivery: a job id seen before changes nothing
   * but makes sure the alarm is armed. Throws for a job this service cannot run (poison).
   */
  async start(job) {
    if (!job || typeof job.id !== "string" || !JOB_KINDS.has(job.kind)) throw new Error(`not a job this service runs: ${JSON.stringify(job?.kind)}`);
    const state = this.#state();
    if (!state) return "gone";
    const seen = this.ctx.storage.sql.exec("SELECT 1 FROM jobs WHERE id = ?", job.id).toArray().length > 0;
    if (seen) {
      await this.#arm(state);
      return "duplicate";
    }
    this.ctx.storage.sql.exec("INSERT INTO jobs (id, kind, at) VALUES (?, ?, ?)", job.id, job.kind, Date.now());
    if (state.status === "syncing") {
      await this.#arm(state);
      return "running"; // the sync under way covers what this job asks
    }
    const backfill = job.kind === "backfill" || !this.store.threadCount();
    Object.assign(state, {
      status: "syncing",
      job: { id: job.id, kind: backfill ? "backfill" : "catchup" },
      pendingJob: null,
      checkpoint: null,
      since: backfill ? null : this.store.since() ?? null,
      error: null,
      attempts: 0,
      progress: { conversations: 0, messages: 0, requests: 0, throttled: 0, pageSize: null, nestedLimit: null, startedAt: Date.now() },
    });
    this.#save(state);
    await this.#arm(state);
    await this.#report(state, { force: true });
    return "started";
  }

  /** A job that failed every delivery (from the dead-letter queue): the account shows why. */
  async jobFailed(job, reason) {
    const state = this.#state();
    if (!state) return;
    Object.assign(state, { status: "failed", error: `job ${job?.kind ?? "?"} ${job?.id ?? "?"}: ${reason}` });
    this.#save(state);
    await this.#report(state, { force: true });
  }

  /** Stores webhook events of this account; answers once they are stored. */
  async ingest(events) {
    const state = this.#state();
    if (!state) return { stored: 0 };
    const changed = this.store.merge({ events });
    state.lastEventAt = Date.now();
    for (const { key, userId, conversationId } of changed) {
      if (!conversationId) this.ctx.storage.sql.exec("INSERT OR IGNORE INTO lookups (thread, user_id) VALUES (?, ?)", key, userId);
    }
    this.#save(state);
    for (const thread of changed) this.#broadcast({ type: "thread", thread });
    if (changed.some((t) => !t.conversationId)) await this.#arm(state);
    await this.#report(state);
    return { stored: events.length };
  }

  async status(tenant) {
    const state = this.#owned(tenant);
    return state && this.#summary(state);
  }

  async threads(tenant, limit, cursor) {
    return this.#owned(tenant) ? this.store.threads(limit, cursor) : null;
  }

  async messages(tenant, key, limit, cursor) {
    return this.#owned(tenant) ? this.store.messages(key, limit, cursor) ?? "no-thread" : null;
  }

  /** Disconnects: forgets the token and the stored inbox. */
  async disconnect(tenant) {
    if (!this.#owned(tenant)) return false;
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, "account disconnected");
    for (const writer of this.streams) writer.close().catch(() => {});
    // The bucket's lease outlives the account: other accounts of the Page may still be calling.
    const lease = this.ctx.storage.sql.exec("SELECT holder, until, next_call_at FROM lease").toArray()[0];
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#schema();
    if (lease) this.ctx.storage.sql.exec("INSERT INTO lease (id, holder, until, next_call_at) VALUES (1, ?, ?, ?)", lease.holder, lease.until, lease.next_call_at);
    return true;
  }

  // ---- live updates: hibernatable WebSockets, or server-sent events ----

  async fetch(request) {
    const state = this.#owned(request.headers.get("x-service-tenant"));
    if (!state) return new Response(JSON.stringify({ error: { status: 404, message: "unknown account" } }), { status: 404 });
    const hello = JSON.stringify({ type: "account", account: this.#summary(state) });
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      server.send(hello);
      return new Response(null, { status: 101, webSocket: client });
    }
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    this.streams.add(writer);
    writer.closed.catch(() => {}).finally(() => this.streams.delete(writer));
    writer.write(new TextEncoder().encode(`data: ${hello}\n\n`)).catch(() => this.streams.delete(writer));
    return new Response(readable, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
  }

  webSocketMessage(ws, message) {
    if (message === "ping") ws.send("pong");
  }

  webSocketClose(ws) {
    try {
      ws.close(1000, "bye"); // the peer's code may be one a close frame cannot carry (1005, 1006)
    } catch {
      // already closed
    }
  }

  #broadcast(change) {
    const text = JSON.stringify(change);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
      } catch {
        // a socket closing under us: its close handler cleans up
      }
    }
    const bytes = new TextEncoder().encode(`data: ${text}\n\n`);
    for (const writer of this.streams) writer.write(bytes).catch(() => this.streams.delete(writer));
  }

  // ---- the alarm: every Graph call of this account ----

  /** Arms the alarm for the account's next Graph work, if it has any. */
  async #arm(state) {
    if (state.status !== "syncing" && !this.#hasLookups()) return;
    const at = Math.max(Date.now(), state.nextCallAt ?? 0, state.retryAt ?? 0);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #hasLookups() {
    return this.ctx.storage.sql.exec("SELECT 1 FROM lookups LIMIT 1").toArray().length > 0;
  }

  async alarm() {
    const state = this.#state();
    if (!state || this.running) return;
    this.running = true;
    try {
      await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
      const bucket = state.bucket === state.accountId ? this : this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(state.bucket));
      const lease = await bucket.acquire(state.accountId);
      if (lease.busyUntil) {
        await this.ctx.storage.setAlarm(lease.busyUntil); // another account of the bucket is calling
        return;
      }
      const client = await this.#client(state, lease.nextCallAt);
      // Other calls (a job start, webhooks) change the state while this awaits Graph: every
      // change below is made to the state as stored at that moment, never to `state`.
      try {
        // A sync under way links every thread it lists; lookups wait until it is done.
        if (state.status === "syncing") await this.#slice(client, state);
        else await this.#lookUp(client, state);
      } catch (error) {
        this.#update((now) => this.#failedSlice(now, error));
      } finally {
        await bucket.release(state.accountId, client.nextCallAt);
      }
      const usageWait = usageWaitMs(client.usage);
      const after = this.#update((now) => ({
        nextCallAt: client.nextCallAt,
        ...(usageWait && { retryAt: Math.max(now.retryAt ?? 0, Date.now() + usageWait) }),
      }));
      if (!after) return; // disconnected meanwhile
      await this.ctx.storage.deleteAlarm();
      await this.#arm(after);
      await this.#report(after, { force: after.status !== "syncing" });
    } finally {
      this.running = false;
    }
  }

  /** Applies `patch` (an object, or a function of the stored state) to the stored state; null when disconnected. */
  #update(patch) {
    const state = this.#state();
    if (!state) return null;
    Object.assign(state, typeof patch === "function" ? patch(state) : patch);
    this.#save(state);
    return state;
  }

  /**
   * A client for this alarm's calls, starting at the bucket's `nextCallAt` (or this account's,
   * if later). A new instance of an account that has called cannot know whether a request was
   * in flight when the last one ended, so it starts one pace interval later still.
   */
  async #client(state, bucketNextCallAt) {
    const accessToken = await openToken(this.env.TOKEN_KEY, state.accountId, state.sealedToken);
    const interval = 1000 / (await clientDefaults()).requestsPerSecond;
    // (An account that never called has nothing in flight.)
    const unsure = this.newInstance && state.nextCallAt > 0;
    const nextCallAt = Math.max(bucketNextCallAt, state.nextCallAt ?? 0, Date.now()) + (unsure ? interval : 0);
    this.newInstance = false;
    const baseUrl = graphHosts(this.env)[state.host ?? 0]; // read now: a changed setting applies at once
    return new ConversationsClient({ accessToken, baseUrl, nextCallAt });
  }

  // ---- the bucket's lease (RPC to the object named by the bucket; a local call when it is this one) ----

  /**
   * Takes the bucket for `holder`: `{nextCallAt}`, or `{busyUntil}` while another holds it. A
   * holder whose object is not running an alarm (it crashed, or was restarted) holds nothing: its
   * lease is taken over at once, one pace interval on, as it may have had a call in flight.
   */
  async acquire(holder) {
    const read = () => this.ctx.storage.sql.exec("SELECT holder, until, next_call_at FROM lease WHERE id = 1").toArray()[0];
    const lease = read();
    let nextCallAt = lease?.next_call_at ?? 0;
    if (lease?.holder && lease.holder !== holder) {
      if (lease.until > Date.now()) {
        const other = lease.holder === this.#state()?.accountId ? this : this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(lease.holder));
        const busy = await other.busy();
        const now = read(); // it may have changed hands during that call
        if (busy || now?.holder !== lease.holder || now.until !== lease.until) return { busyUntil: Math.min(lease.until, Date.now() + 1000) };
        nextCallAt = Math.max(nextCallAt, Date.now() + 1000 / (await clientDefaults()).requestsPerSecond);
        if (read()?.holder !== lease.holder) return { busyUntil: Date.now() + 1000 };
      } else {
        nextCallAt = Math.max(nextCallAt, lease.until); // it lapsed: its holder may have called until then
      }
    }
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO lease (id, holder, until, next_call_at) VALUES (1, ?, ?, ?)", holder, Date.now() + LEASE_MS, nextCallAt);
    return { nextCallAt };
  }

  /** Whether this object is making Graph calls right now (its alarm runs). */
  async busy() {
    return this.running;
  }

  /** Gives the bucket back with when its next call may go. */
  async release(holder, nextCallAt) {
    this.ctx.storage.sql.exec(
      "UPDATE lease SET holder = NULL, until = 0, next_call_at = max(next_call_at, ?) WHERE id = 1 AND holder = ?",
      nextCallAt, holder,
    );
  }

  /** Stores when the next Graph call may go, after each one (so a new instance keeps the pace). */
  #keepPace(client) {
    this.#update({ nextCallAt: client.nextCallAt });
  }

  /** The conversation id of threads only webhooks have shown, found by the customer's id. */
  async #lookUp(client, state) {
    const pending = this.ctx.storage.sql.exec("SELECT thread, user_id, attempts FROM lookups LIMIT ?", LOOKUPS_PER_ALARM).toArray();
    for (const { thread, user_id: userId, attempts } of pending) {
      if (this.store.linked(thread)) {
        this.ctx.storage.sql.exec("DELETE FROM lookups WHERE thread = ?", thread); // a sync linked it
        continue;
      }
      const conversation = await client.findConversation(state.pageId ?? state.accountId, { platform: state.platform, userId });
      this.#keepPace(client);
      if (conversation) {
        const changed = this.store.merge({ links: [{ key: thread, conversationId: conversation.id }] });
        this.ctx.storage.sql.exec("DELETE FROM lookups WHERE thread = ?", thread);
        for (const t of changed) this.#broadcast({ type: "thread", thread: t });
      } else if (attempts >= 2) {
        this.ctx.storage.sql.exec("DELETE FROM lookups WHERE thread = ?", thread); // Graph does not list it (yet): a sync links it
      } else {
        this.ctx.storage.sql.exec("UPDATE lookups SET attempts = attempts + 1 WHERE thread = ?", thread);
      }
    }
  }

  /** One bounded run of the sync: at most SLICE_REQUESTS requests, each item stored with its checkpoint. */
  async #slice(client, state) {
    const account = { platform: state.platform, accountId: state.accountId };
    const job = state.job?.id;
    const base = { ...state.progress };
    let last = null;
    const progress = () => ({
      ...base,
      conversations: base.conversations + last.conversations,
      messages: base.messages + last.messages,
      requests: base.requests + last.requests,
      throttled: base.throttled + last.throttled,
      pageSize: last.pageSize,
      nestedLimit: last.nestedLimit,
    });
    const items = client.syncInbox(state.pageId ?? state.accountId, {
      platform: state.platform,
      checkpoint: state.checkpoint ?? undefined,
      since: state.since ?? undefined,
      maxRequests: SLICE_REQUESTS,
      onProgress: (p) => {
        last = p;
        this.#keepPace(client);
      },
    });
    for await (const item of items) {
      // One transaction: the conversation's rows, then the checkpoint after it.
      const changed = this.store.merge({ synced: [{ item, account }] });
      if (!this.#update({ checkpoint: item.checkpoint, ...(last && { progress: progress() }) })) return; // disconnected
      for (const thread of changed) this.#broadcast({ type: "thread", thread });
    }
    const done = !last || last.done;
    this.#update((now) => {
      if (now.job?.id !== job) return {}; // reconnected meanwhile: a new job owns the state
      const patch = { attempts: 0, retryAt: 0, ...(last && { progress: progress() }) };
      if (!done) return patch;
      return { ...patch, status: "live", job: null, checkpoint: null, since: null, error: null, progress: { ...(patch.progress ?? now.progress), doneAt: Date.now() } };
    });
  }

  /** What a failed slice means for the stored state: wait out a throttle, retry a transient failure, or stop. */
  #failedSlice(state, error) {
    const kind = error instanceof GraphApiError ? error.kind : "internal";
    if (!(error instanceof GraphApiError)) console.error("account alarm failed", error?.stack ?? String(error));
    if (kind === "rate_limited") return { retryAt: Date.now() + (error.retryAfterMs ?? 60_000) };
    const attempts = (state.attempts ?? 0) + 1;
    if (PERMANENT.has(kind) || attempts > MAX_ATTEMPTS) {
      return { attempts, status: "failed", error: error instanceof GraphApiError ? `${kind}: ${error.message}` : "internal error", retryAt: 0 };
    }
    return { attempts, retryAt: Date.now() + 1000 * 2 ** (attempts - 1) };
  }
}

/**
 * How long the usage headers of the last response ask to wait: Graph's
 * `estimated_time_to_regain_access` (minutes), set once an allowance is spent. (The percentages
 * count over an hour on Meta's side; the client's 2/s pace is what keeps them low.)
 */
function usageWaitMs(usage) {
  const regain = Math.max(0, ...(usage?.business ?? []).map((b) => b.estimated_time_to_regain_access ?? 0));
  return regain * 60_000;
}
