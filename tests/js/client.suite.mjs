// The client's behaviour against graph-sim, written once and run in Node (node:test) and in
// headless Chromium (browser.test.mjs). Each case gets { api, sim, assert } and throws on failure.

export const PAGE = { id: "106000000000001", token: "sim-page-token" };
export const IG = { id: "17841400000000001", token: "sim-ig-token" };

function makeAssert() {
  const fail = (msg) => { throw new Error(msg); };
  const assert = (cond, msg) => cond || fail(`assertion failed: ${msg}`);
  assert.equal = (a, b, msg) => a === b || fail(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  assert.rejects = async (promise, kind, msg) => {
    try {
      await promise;
    } catch (e) {
      return e;
    }
    fail(`${msg}: expected a rejection with kind ${kind}`);
  };
  return assert;
}

async function expectError(api, promise, kind, msg) {
  const assert = makeAssert();
  const e = await assert.rejects(promise, kind, msg);
  assert(e instanceof api.GraphApiError, `${msg}: a GraphApiError (got ${e})`);
  assert(e instanceof Error, `${msg}: an Error`);
  assert.equal(e.kind, kind, `${msg}: kind`);
  return e;
}

function client(api, sim, account = PAGE, extra = {}) {
  return new api.ConversationsClient({ accessToken: account.token, baseUrl: sim.url, requestsPerSecond: 0, ...extra });
}

/** How many threads the simulator lists in one inbox (its control API). */
export const listedThreads = async (sim, accountId, platform) => {
  const accounts = await sim.accounts();
  const account = accounts.find((a) => a.id === accountId);
  return account.inboxes.find((i) => i.platform === platform).listed_threads;
};

// Every operation, on one account form.
async function everyOperation(api, sim, account, pageId, platform) {
  const assert = makeAssert();
  const c = client(api, sim, account);
  const fields = ["participants", "snippet", "message_count", "unread_count", "messages.limit(25){id,created_time,message,from}"];
  const page = await c.listConversations(pageId, { platform, limit: 5, fields });
  assert.equal(page.data.length, 5, "a page of 5");
  const first = page.data[0];
  assert(typeof first.id === "string" && first.id.length > 0, "conversation id");
  assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/.test(first.updated_time), `updated_time ${first.updated_time}`);
  assert(first.participants.data.length >= 2, "participants");
  const customer = first.participants.data.find((p) => p.id !== account.id && p.id !== PAGE.id && p.id !== IG.id);
  assert(customer, "a customer participant");
  if (platform === "messenger") assert(typeof customer.name === "string", "Messenger participants have names");
  else assert(typeof customer.username === "string", "Instagram participants have usernames");
  assert(page.paging.cursors.after, "an after cursor");

  const found = await c.findConversation(pageId, { platform, userId: customer.id });
  assert.equal(found?.id, first.id, "findConversation finds the thread with that user");
  assert(typeof found.updated_time === "string", "found thread has updated_time");
  const none = await c.findConversation(pageId, { platform, userId: "99999999999999999" });
  assert.equal(none, null, "findConversation returns null for an unknown user");

  const conv = await c.getConversation(first.id, { fields: ["participants", "messages"] });
  assert.equal(conv.id, first.id, "getConversation id");
  assert(conv.messages.data.length > 0, "nested messages");

  // Graph counts a thread's messages on Messenger only: there the count is checked below.
  if (platform === "messenger") assert(Number.isInteger(first.message_count) && first.message_count > 0, `message_count ${first.message_count}`);
  else assert.equal(first.message_count, undefined, "no message_count on Instagram");
  const messages = await c.listMessages(first.id, { limit: 3 });
  assert.equal(messages.data.length, Math.min(3, first.message_count ?? 3), "listMessages page size");
  const times = messages.data.map((m) => m.created_time);
  assert(times.every((t, i) => i === 0 || t <= times[i - 1]), "messages newest first");

  const all = await c.messages(first.id, { limit: 7 }).toArray({ limit: 10000 });
  const ids = new Set(all.map((m) => m.id));
  assert.equal(ids.size, all.length, "no message twice");
  if (platform === "messenger") assert.equal(all.length, first.message_count, "every message of the thread");
  else assert(all.length >= messages.data.length, "every message of the thread");

  const detail = await c.getMessage(all[0].id);
  assert.equal(detail.id, all[0].id, "getMessage id");
  assert(detail.from && typeof detail.from.id === "string", "getMessage from");
  assert(detail.to && Array.isArray(detail.to.data), "getMessage to");
}

export const cases = {
  "every operation on a Messenger Page": (api, sim) => everyOperation(api, sim, PAGE, PAGE.id, "messenger"),
  "every operation on Instagram through the Page": (api, sim) => everyOperation(api, sim, PAGE, "me", "instagram"),
  "every operation on the Instagram Login form (me, IG token)": (api, sim) => everyOperation(api, sim, IG, "me", "instagram"),

  "paging over more than 3 pages loses and repeats nothing": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    const expected = await listedThreads(sim, PAGE.id, "messenger");
    const pages = [];
    for await (const page of c.conversations(PAGE.id, { platform: "messenger", limit: 10 }).pages()) pages.push(page);
    assert(pages.length > 3, `more than 3 pages (${pages.length})`);
    const ids = pages.flatMap((p) => p.data.map((t) => t.id));
    assert.equal(new Set(ids).size, ids.length, "no thread twice");
    assert.equal(ids.length, expected, "every listed thread");
    const items = [];
    for await (const t of c.conversations(PAGE.id, { platform: "messenger", limit: 25 })) items.push(t.id);
    assert.equal(items.join(), ids.join(), "item iteration sees the same threads in the same order");
    const some = await c.conversations(PAGE.id, { platform: "messenger", limit: 4 }).toArray({ limit: 9 });
    assert.equal(some.length, 9, "toArray stops at its limit");
    let n = 0;
    for await (const _ of c.conversations(PAGE.id, { platform: "messenger", limit: 4 })) if (++n === 6) break;
    assert.equal(n, 6, "break ends iteration");
    const ig = await client(api, sim, IG).conversations("me", { platform: "instagram", limit: 25 }).toArray({ limit: 10000 });
    assert.equal(ig.length, await listedThreads(sim, IG.id, "instagram"), "Instagram Login form: every listed thread");
  },

  "an unknown thread rejects with not_found": async (api, sim) => {
    const assert = makeAssert();
    const e = await expectError(api, client(api, sim).getConversation("t_doesnotexist"), "not_found", "unknown thread");
    assert.equal(e.isTransient, false, "not transient");
  },

  "newest-20 rule: the 21st newest message is message_unavailable": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    let thread = null;
    for await (const t of c.conversations(PAGE.id, { platform: "messenger", fields: ["message_count"] })) {
      if (t.message_count > 21) { thread = t; break; }
    }
    assert(thread, "a thread with more than 21 messages");
    const messages = await c.messages(thread.id, { limit: 25 }).toArray({ limit: 21 });
    const twentieth = await c.getMessage(messages[19].id);
    assert.equal(twentieth.id, messages[19].id, "the 20th newest has details");
    const e = await expectError(api, c.getMessage(messages[20].id), "message_unavailable", "21st newest");
    assert.equal(e.code, 9000001, "code");
    assert.equal(e.status, 400, "status");
    assert(typeof e.fbtraceId === "string" && e.fbtraceId.length > 0, "fbtraceId");
    assert.equal(e.isTransient, false, "not transient");
  },

  "bad input is rejected before any request": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    await sim.clearRequests();
    const m = { platform: "messenger" };
    const bad = [
      () => c.listConversations("a/b", m), () => c.listConversations("a?b", m), () => c.listConversations("a#b", m),
      () => c.listConversations("a%2F", m), () => c.listConversations("..", m), () => c.listConversations("a..b", m),
      () => c.listConversations("a b", m), () => c.listConversations(" me", m), () => c.listConversations("me\n", m),
      () => c.listConversations("a\u0000b", m), () => c.listConversations("a\tb", m), () => c.listConversations("", m),
      () => c.listConversations(undefined, m), () => c.listConversations(42, m), () => c.listConversations("me", {}),
      () => c.listConversations("me", { platform: "whatsapp" }), () => c.listConversations("me", { platform: "MESSENGER!" }),
      () => c.listConversations("me", { ...m, limit: 0 }), () => c.listConversations("me", { ...m, limit: -5 }),
      () => c.listConversations("me", { ...m, limit: 2.5 }), () => c.listConversations("me", { ...m, limit: "10" }),
      () => c.listConversations("me", { ...m, fields: ["messages{id"] }), () => c.listConversations("me", { ...m, fields: ["a b"] }),
      () => c.listConversations("me", { ...m, fields: "participants" }), () => c.listConversations("me", { ...m, fields: [] }),
      () => c.listConversations("me", { ...m, fields: ["messages.limit(0){id}"] }),
      () => c.listConversations("me", { ...m, after: "x", before: "y" }), () => c.listConversations("me", { ...m, userId: "1/2" }),
      () => c.findConversation("me", { platform: "messenger" }), () => c.findConversation("me", { platform: "messenger", userId: "" }),
      () => c.getConversation("t_1/messages", {}), () => c.getConversation("t_1?fields=x"), () => c.getMessage("m_1#x"),
      () => c.getMessage("..%2f"), () => c.getMessage(null), () => c.listMessages("", {}), () => c.listMessages("t_1", { limit: -1 }),
      () => c.listMessages("t_1", { fields: ["from{"] }), () => c.listConversations("me", { ...m, signal: "nope" }),
      () => c.conversations("a/b", m).toArray({ limit: 5 }), () => c.messages("t 1").toArray({ limit: 5 }),
      () => c.conversations("me", m).toArray({ limit: 0 }),
    ];
    assert(bad.length >= 30, "at least 30 cases");
    for (const [i, call] of bad.entries()) await expectError(api, call(), "invalid_argument", `bad input #${i}`);
    const log = await sim.requests();
    assert.equal(log.length, 0, "no request reached the simulator");
    for (const options of [{}, { accessToken: "" }, { accessToken: "t", baseUrl: "ftp://x" }, { accessToken: "t", apiVersion: "26" },
      { accessToken: "t", requestsPerSecond: -1 }, { accessToken: "t", timeoutMs: 0 }, { accessToken: "t", tokenTransport: "cookie" }, { accessToken: "t", nextCallAt: -1 }]) {
      let err = null;
      try {
        await new api.ConversationsClient(options).listConversations("me", m);
      } catch (e) {
        err = e;
      }
      assert(err instanceof api.GraphApiError && err.kind === "invalid_argument", `bad client options ${JSON.stringify(options)}`);
    }
  },

  "token hygiene: header by default, never in returned URLs or errors": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    await sim.clearRequests();
    const page = await c.listConversations(PAGE.id, { platform: "messenger", limit: 3 });
    await c.listConversations(PAGE.id, { platform: "messenger", limit: 3, after: page.paging.cursors.after });
    await c.conversations(PAGE.id, { platform: "messenger", limit: 30 }).toArray({ limit: 70 });
    assert(page.paging.next, "Graph returned a next URL");
    assert(!JSON.stringify(page).includes(PAGE.token), "no returned URL carries the token");
    const log = await sim.requests();
    assert(log.length >= 5, "requests were logged");
    for (const r of log) {
      assert.equal(r.token_source, "header", `token travelled in the header (${r.path})`);
      assert(!r.query_keys.includes("access_token"), "no access_token query parameter");
    }
    const bad = new api.ConversationsClient({ accessToken: "wrong-token-value", baseUrl: sim.url, requestsPerSecond: 0 });
    const e = await expectError(api, bad.listConversations("me", { platform: "messenger" }), "auth", "wrong token");
    assert.equal(e.code, 190, "code 190");
    assert(!e.message.includes("wrong-token-value") && !e.stack?.includes("wrong-token-value"), "the token is not in the error");

    const q = client(api, sim, PAGE, { tokenTransport: "query" });
    await sim.clearRequests();
    const qp = await q.listConversations(PAGE.id, { platform: "messenger", limit: 2 });
    assert(!JSON.stringify(qp).includes(PAGE.token), "query mode: returned URLs are clean too");
    const [r] = await sim.requests();
    assert.equal(r.token_source, "query", "query mode sends access_token");
  },

  "malformed and truncated bodies reject with invalid_response; the client stays usable": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim, PAGE, { maxRetries: 0 });
    for (const fault of ["malformed", "truncated"]) {
      try {
        await sim.configure({ faults: { [fault]: 1 } });
        for (let i = 0; i < 3; i++) {
          const e = await expectError(api, c.listConversations(PAGE.id, { platform: "messenger" }), "invalid_response", fault);
          assert.equal(e.status, 200, `${fault}: HTTP 200`);
        }
      } finally {
        await sim.configure({ faults: { [fault]: 0 } });
      }
      const ok = await c.listConversations(PAGE.id, { platform: "messenger", limit: 2 });
      assert.equal(ok.data.length, 2, `${fault}: the next call succeeds`);
    }
  },

  "throttling and transient faults are retried within maxRetries": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim, PAGE, { maxRetries: 6 });
    try {
      await sim.configure({ faults: { throttle: 0.3, throttle_burst: 2 } });
      await sim.clearRequests();
      for (let i = 0; i < 10; i++) {
        const page = await c.listConversations(PAGE.id, { platform: "messenger", limit: 2 });
        assert.equal(page.data.length, 2, "succeeds despite throttle bursts");
      }
      const statuses = (await sim.requests()).map((r) => r.status);
      assert(statuses.some((s) => s !== 200), `the simulator throttled some calls (${statuses})`);
      assert(c.usage && typeof c.usage === "object", "usage headers parsed");
      await sim.configure({ faults: { throttle: 0, transient: 0.25 } });
      await sim.clearRequests();
      for (let i = 0; i < 6; i++) {
        const p = await c.listConversations(PAGE.id, { platform: "messenger", limit: 1 });
        assert.equal(p.data.length, 1, "transient faults retried");
      }
      const transient = (await sim.requests()).map((r) => r.status);
      assert(transient.some((s) => s >= 500), `the simulator failed some calls (${transient})`);
      const never = client(api, sim, PAGE, { maxRetries: 1 });
      await sim.configure({ faults: { transient: 1 } });
      const e = await expectError(api, never.listConversations(PAGE.id, { platform: "messenger" }), "transient", "gives up after maxRetries");
      assert.equal(e.isTransient, true, "isTransient");
    } finally {
      await sim.configure({ faults: { throttle: 0, transient: 0 } });
    }
  },

  "pacing at the simulator's rate limit means no throttling": async (api, sim) => {
    const assert = makeAssert();
    await sim.configure({ rate: 20 });
    try {
      const c = new api.ConversationsClient({ accessToken: PAGE.token, baseUrl: sim.url, requestsPerSecond: 20, maxRetries: 0 });
      await sim.clearRequests();
      const threads = await c.conversations(PAGE.id, { platform: "messenger", limit: 5 }).toArray({ limit: 60 });
      const [a, b] = await Promise.all([
        c.listMessages(threads[0].id, { limit: 2 }),
        c.listMessages(threads[1].id, { limit: 2 }),
      ]);
      assert(a.data.length > 0 && b.data.length > 0, "concurrent calls share the pace");
      const statuses = (await sim.requests()).map((r) => r.status);
      assert(statuses.length >= 14, `requests made (${statuses.length})`);
      assert(statuses.every((s) => s === 200), `no request throttled (${statuses})`);
    } finally {
      await sim.configure({ rate: 0 });
    }
  },

  "an aborted call rejects with aborted promptly": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    await sim.configure({ faults: { slow: 1, slow_ms: 4000 } });
    try {
      const controller = new AbortController();
      const pending = c.listConversations(PAGE.id, { platform: "messenger", signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const guard = new Promise((resolve) => setTimeout(() => resolve("still pending"), 3000));
      const outcome = await Promise.race([pending.then(() => "resolved", (e) => e), guard]);
      assert(outcome instanceof api.GraphApiError, `rejected before the slow response (${outcome})`);
      assert.equal(outcome.kind, "aborted", "kind");
      const pre = new AbortController();
      pre.abort();
      await expectError(api, c.getMessage("m_1", { signal: pre.signal }), "aborted", "already aborted");
      const iter = c.conversations(PAGE.id, { platform: "messenger", signal: pre.signal });
      await expectError(api, iter.toArray({ limit: 3 }), "aborted", "aborted iteration");
    } finally {
      await sim.configure({ faults: { slow: 0 } });
    }
  },

  "syncInbox: the whole inbox, progress, abort and resume from a checkpoint": async (api, sim) => {
    const assert = makeAssert();
    const c = client(api, sim);
    const expected = await listedThreads(sim, PAGE.id, "instagram");
    const progress = [];
    const all = [];
    for await (const item of c.syncInbox(PAGE.id, { platform: "instagram", pageSize: 20, onProgress: (p) => progress.push(p) })) {
      all.push(item);
    }
    const ids = all.map((i) => i.conversation.id);
    assert.equal(new Set(ids).size, expected, "every listed thread once");
    for (const item of all) {
      const mids = item.messages.map((m) => m.id);
      assert.equal(new Set(mids).size, mids.length, "no message twice");
      assert(item.messages.slice(20).every((m) => m.from === undefined), "older messages carry id and created_time only");
      assert(typeof item.checkpoint === "string", "a checkpoint");
    }
    const last = progress.at(-1);
    assert(last.done && last.conversations === expected, `final progress ${JSON.stringify(last)}`);
    assert(last.requests >= Math.ceil(expected / 20), "requests counted");
    assert(typeof last.nextSince === "string", "nextSince reported");

    // Abort after 7 threads, resume from the 7th checkpoint: together, exactly the same set.
    const controller = new AbortController();
    const first = [];
    try {
      for await (const item of c.syncInbox(PAGE.id, { platform: "instagram", pageSize: 20, signal: controller.signal })) {
        first.push(item);
        if (first.length === 7) controller.abort();
      }
      assert(false, "the aborted sync should reject");
    } catch (e) {
      assert(e instanceof api.GraphApiError && e.kind === "aborted", `aborted (${e})`);
    }
    assert.equal(first.length, 7, "stopped right after the abort");
    const rest = await c
      .syncInbox(PAGE.id, { platform: "instagram", pageSize: 20, checkpoint: first[6].checkpoint })
      .toArray({ limit: 10000 });
    const resumed = [...first, ...rest].map((i) => i.conversation.id);
    assert.equal(resumed.length, ids.length, "nothing lost or repeated");
    assert.equal([...resumed].sort().join(), [...ids].sort().join(), "the same set");

    const nothing = await c.syncInbox(PAGE.id, { platform: "instagram", since: last.nextSince }).toArray({ limit: 100 });
    assert(nothing.length <= 1, `an incremental run right after finds (almost) nothing: ${nothing.length}`);
    await expectError(api, c.syncInbox(PAGE.id, { platform: "instagram", detailsPerConversation: 21 }).toArray({ limit: 1 }), "invalid_argument", "details > 20");
    await expectError(api, c.syncInbox(PAGE.id, { platform: "messenger", checkpoint: first[6].checkpoint }).toArray({ limit: 1 }), "invalid_argument", "checkpoint of another platform");
  },

  "timeoutMs bounds each request; a timed-out call rejects with timeout": async (api, sim) => {
    const c = client(api, sim, PAGE, { timeoutMs: 200, maxRetries: 0 });
    await sim.configure({ faults: { slow: 1, slow_ms: 3000 } });
    try {
      const e = await expectError(api, c.listConversations(PAGE.id, { platform: "messenger" }), "timeout", "slow response");
      makeAssert()(e.isTransient, "a timeout is transient");
    } finally {
      await sim.configure({ faults: { slow: 0 } });
    }
  },

  "computeAppSecretProof matches HMAC-SHA256 of token|time": async (api) => {
    const assert = makeAssert();
    const p = await api.computeAppSecretProof("token", "secret", 1700000000);
    assert.equal(p.proof, "3c81f1bf0544f53adccadbaf135235bf73451aadede41a90a122c46e93dcae64", "proof");
    assert.equal(p.time, 1700000000, "time");
    const now = await api.computeAppSecretProof("token", "secret");
    assert(Math.abs(now.time - Date.now() / 1000) < 60, "time defaults to now");
  },
};
