// An account's inbox in its Durable Object's SQLite, kept with the package's merge rules.
//
// The rules live in the package's `Inbox` (history and webhooks merged exactly). The store keeps
// what went into each thread (sync items, webhook events, conversation links) in `inputs`, and
// after each change replays that thread's inputs into a fresh `Inbox`: the stored thread is then
// by construction what the package makes of everything seen. `threads` and `messages` hold the
// resulting views for reading (paged, newest first). Every write of one change is synchronous,
// so SQLite commits it as one transaction together with whatever the caller writes in the same
// turn (the sync checkpoint).

import { Inbox } from "graph-conversations";

/** Messages kept on a thread in thread listings (the rest are paged from `messages`). */
const HEAD_MESSAGES = 3;
/** Message rows per INSERT: 4 parameters each, under SQLite's limit of 100 per statement. */
const ROWS_PER_INSERT = 25;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inputs (seq INTEGER PRIMARY KEY AUTOINCREMENT, thread TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inputs_by_thread ON inputs (thread, seq);
CREATE TABLE IF NOT EXISTS threads (key TEXT PRIMARY KEY, activity_ms INTEGER NOT NULL, since TEXT, conversation_id TEXT, user_id TEXT NOT NULL, view TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS threads_by_activity ON threads (activity_ms DESC, key DESC);
CREATE TABLE IF NOT EXISTS messages (thread TEXT NOT NULL, id TEXT NOT NULL, time_ms INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (thread, id));
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (thread, time_ms DESC, id DESC);
`;

/** Graph writes `+0000`; Date.parse wants `+00:00`. NaN-safe: an unreadable time sorts as 0. */
export function timeMs(text) {
  const ms = Date.parse(String(text ?? "").replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isFinite(ms) ? ms : 0;
}

export class InboxStore {
  /** `sql`: the Durable Object's `ctx.storage.sql`; `inboxOptions`: the package's InboxOptions. */
  constructor(sql, inboxOptions) {
    this.sql = sql;
    this.inboxOptions = inboxOptions;
    for (const statement of SCHEMA.split(";").map((s) => s.trim()).filter(Boolean)) sql.exec(statement);
  }

  /**
   * Merges synced conversations, webhook events and links into the stored threads; answers the
   * changed threads' views (for live listeners). Synchronous: one transaction with the caller's
   * writes in the same turn.
   * - `synced`: `[{ item, account }]` as `syncInbox` yields them, with the inbox's account;
   * - `events`: webhook events of this account;
   * - `links`: `[{ key, conversationId }]` found for threads only webhooks had shown.
   */
  merge({ synced = [], events = [], links = [] }) {
    const byThread = new Map();
    const add = (key, kind, value, alone) => {
      if (!byThread.has(key)) byThread.set(key, []);
      byThread.get(key).push({ kind, body: JSON.stringify(value), value, alone });
    };
    const viewOf = (key) => (inbox) => ({ view: inbox.thread(key), since: inbox.since() });
    for (const { item, account } of synced) {
      // Which thread a conversation is: what the package makes of it (kept: for a new thread,
      // that is already the result).
      const value = { item, account };
      const alone = this.#replay([{ kind: "sync", value }], (inbox) => {
        const view = inbox.threads()[0]; // its only thread
        return view && { key: view.key, view, since: inbox.since() };
      });
      if (alone) add(alone.key, "sync", value, alone);
    }
    for (const event of events) {
      if (typeof event.userId !== "string") continue; // not about a thread (type "unknown")
      add(`${event.platform}:${event.accountId}:${event.userId}`, "events", [event]);
    }
    for (const { key, conversationId } of links) add(key, "link", { key, conversationId });

    const changed = [];
    for (const [key, inputs] of byThread) {
      const previous = this.sql.exec("SELECT kind, body FROM inputs WHERE thread = ? ORDER BY seq", key).toArray();
      const result = !previous.length && inputs.length === 1 && inputs[0].alone ? inputs[0].alone : this.#replay([...previous, ...inputs], viewOf(key));
      if (!result.view) continue; // these inputs make no thread: nothing to keep
      for (const { kind, body } of inputs) this.sql.exec("INSERT INTO inputs (thread, kind, body) VALUES (?, ?, ?)", key, kind, body);
      this.#storeView(result.view, result.since);
      changed.push(headOf(result.view));
    }
    return changed;
  }

  /** Replays inputs into a fresh Inbox and answers `read(inbox)`; the Inbox is freed after. */
  #replay(inputs, read) {
    const inbox = new Inbox(this.inboxOptions);
    try {
      for (const { kind, body, value: made } of inputs) {
        const value = made ?? JSON.parse(body); // inputs made in this call are still objects
        if (kind === "sync") inbox.applySync(value.item, value.account);
        else if (kind === "events") inbox.applyEvents(value);
        else if (kind === "link") inbox.linkConversation(value.key, value.conversationId);
      }
      return read(inbox);
    } finally {
      inbox.free();
    }
  }

  #storeView(view, since) {
    this.sql.exec(
      "INSERT OR REPLACE INTO threads (key, activity_ms, since, conversation_id, user_id, view) VALUES (?, ?, ?, ?, ?, ?)",
      view.key,
      timeMs(view.updated_time),
      since ?? null,
      view.conversationId ?? null,
      view.userId,
      JSON.stringify(headOf(view)),
    );
    this.sql.exec("DELETE FROM messages WHERE thread = ?", view.key);
    // Rows go in batches: one statement per ROWS_PER_INSERT messages (SQLite's 100-parameter cap).
    for (let i = 0; i < view.messages.length; i += ROWS_PER_INSERT) {
      const batch = view.messages.slice(i, i + ROWS_PER_INSERT);
      this.sql.exec(
        `INSERT INTO messages (thread, id, time_ms, body) VALUES ${batch.map(() => "(?, ?, ?, ?)").join(", ")}`,
        ...batch.flatMap((m) => [view.key, m.id, timeMs(m.created_time), JSON.stringify(m)]),
      );
    }
  }

  /** Threads newest activity first, after `cursor` ({timeMs, id} of the last one served). */
  threads(limit, cursor) {
    const rows = cursor
      ? this.sql.exec(
          "SELECT key, activity_ms, view FROM threads WHERE activity_ms < ? OR (activity_ms = ? AND key < ?) ORDER BY activity_ms DESC, key DESC LIMIT ?",
          cursor.timeMs, cursor.timeMs, cursor.id, limit + 1,
        )
      : this.sql.exec("SELECT key, activity_ms, view FROM threads ORDER BY activity_ms DESC, key DESC LIMIT ?", limit + 1);
    return page(rows.toArray(), limit, (r) => [r.activity_ms, r.key], (r) => JSON.parse(r.view));
  }

  /** A thread's messages newest first, after `cursor`; null for a thread not stored. */
  messages(key, limit, cursor) {
    if (!this.sql.exec("SELECT 1 FROM threads WHERE key = ?", key).toArray().length) return null;
    const rows = cursor
      ? this.sql.exec(
          "SELECT id, time_ms, body FROM messages WHERE thread = ? AND (time_ms < ? OR (time_ms = ? AND id < ?)) ORDER BY time_ms DESC, id DESC LIMIT ?",
          key, cursor.timeMs, cursor.timeMs, cursor.id, limit + 1,
        )
      : this.sql.exec("SELECT id, time_ms, body FROM messages WHERE thread = ? ORDER BY time_ms DESC, id DESC LIMIT ?", key, limit + 1);
    return page(rows.toArray(), limit, (r) => [r.time_ms, r.id], (r) => JSON.parse(r.body));
  }

  /** How many threads are stored. */
  threadCount() {
    return this.sql.exec("SELECT count(*) AS n FROM threads").one().n;
  }

  /** Whether a sync or a lookup gave the thread its conversation id. */
  linked(key) {
    return this.sql.exec("SELECT 1 FROM threads WHERE key = ? AND conversation_id IS NOT NULL", key).toArray().length > 0;
  }

  /** The `since` of an incremental sync that catches up on everything stored (the package's). */
  since() {
    return this.sql.exec("SELECT max(since) AS since FROM threads").one().since ?? undefined;
  }
}

/** A thread as listings show it: the newest HEAD_MESSAGES messages. */
const headOf = (view) => ({ ...view, messages: view.messages.slice(0, HEAD_MESSAGES) });

/** `{data, next?}` from rows fetched with limit + 1 (one more says there is a next page). */
function page(rows, limit, position, value) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return rows.length > limit ? { data: data.map(value), next: position(last) } : { data: data.map(value) };
}
