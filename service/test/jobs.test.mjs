// The jobs queue and live updates, in workerd against graph-sim: a job delivered twice runs once
// (graph-sim counts the Graph calls); a job the service cannot run goes through its retries to
// the dead-letter queue and the account shows why, until it is connected again; a disconnected
// account is gone from the API and from storage (no sealed token left in any file); and a
// message added on graph-sim reaches a WebSocket and an event-stream listener through the
// webhook.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startSim, tool } from "../launch.mjs";
import { SECRETS, apiClient, sleep, startService, stateDir, waitFor } from "./harness.mjs";

const PAGE = { id: "106000000000001", token: "sim-page-token" };
const EXTRA = (k) => ({ id: String(106000000100000 + k), token: `sim-page-token-${k}` });
const DUP = PAGE; // duplicates and poison
const GONE = EXTRA(1); // disconnected
const LIVE = EXTRA(2); // live updates
/** How long a job that should change nothing is given to do something anyway. */
const QUIET_MS = 3000;

/** Every file under `dir`, recursively. */
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});
/** The stored files (SQLite databases, their WALs) that contain `text`. */
const filesWith = (dir, text) => files(dir).filter((f) => readFileSync(f).toString("latin1").includes(text));
const sign = (body) => `sha256=${createHmac("sha256", SECRETS.APP_SECRET).update(body).digest("hex")}`;

describe("the jobs queue and live updates", () => {
  let sim;
  let service;
  let api;
  let persist;
  const status = async (id) => {
    const r = await api.call(`/api/accounts/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const graphCalls = async (id) => (await sim.stats()).by_account[id] ?? 0;
  const jobLines = (id) => service.logs.join("").split("\n").filter((l) => l.includes(`"id":"${id}"`));

  before(async () => {
    sim = await startSim([
      "--seed", "5", "--pages", "3", "--page-threads", "5", "--messenger-threads", "8", "--instagram-threads", "3", "--messages", "1..8",
      "--webhook-secret", SECRETS.APP_SECRET, "--verify-token", SECRETS.VERIFY_TOKEN,
      "--webhook-batch-ms", "20", "--webhook-duplicate-rate", "0", "--webhook-reorder-rate", "0",
    ]);
    persist = stateDir();
    service = await startService({ persist, vars: { GRAPH_BASE_URL: sim.url }, queue: { retryDelay: 0 } });
    api = apiClient(service.url);
    for (const a of [DUP, GONE, LIVE]) {
      const r = await api.call("/api/accounts", { body: { platform: "messenger", accountId: a.id, accessToken: a.token } });
      assert.equal(r.status, 202, r.text);
    }
    await waitFor("every account live", async () => {
      const r = await api.call("/api/accounts");
      return r.body.length === 3 && r.body.every((a) => a.status === "live" && a.threads > 0);
    });
  });

  after(async () => {
    await service?.dispose().catch(() => {});
    sim?.stop();
  });

  it("a job delivered twice runs once: the Graph calls added are the one sync's", async () => {
    const { progress: first } = await status(DUP.id);
    assert.ok(first.doneAt > 0, "the first backfill is done");
    const callsBefore = await graphCalls(DUP.id);
    assert.ok(callsBefore >= first.requests && first.requests > 0, `graph-sim counted the backfill (${callsBefore} calls, ${first.requests} in progress)`);

    const jobs = await service.jobs();
    const job = { kind: "backfill", id: "dup-1", accountId: DUP.id };
    await jobs.send(job);
    await jobs.send(job);
    const resynced = await waitFor("the re-sync done", async () => {
      const s = await status(DUP.id);
      return s.status === "live" && s.progress?.doneAt > first.doneAt && s;
    });
    assert.ok(resynced.progress.startedAt > first.doneAt, "a new sync ran");
    assert.ok(resynced.progress.requests > 0);
    // Both deliveries were handled (one started the sync, the other was a duplicate) before
    // the calls are counted: a second sync would have started by now.
    await waitFor("both deliveries handled", () => jobLines("dup-1").filter((l) => l.includes('"msg":"job"')).length >= 2, 10_000);
    await sleep(QUIET_MS);
    const callsAfter = await graphCalls(DUP.id);
    assert.equal(callsAfter - callsBefore, resynced.progress.requests, "the Graph calls added are exactly the one re-sync's");
    assert.deepEqual((await status(DUP.id)).progress, resynced.progress, "no second sync started");

    // The same job once more, later: nothing at all.
    await jobs.send(job);
    await waitFor("the third delivery handled", () => jobLines("dup-1").filter((l) => l.includes('"msg":"job"')).length >= 3, 10_000);
    await sleep(QUIET_MS);
    assert.equal(await graphCalls(DUP.id), callsAfter, "a job id seen before calls Graph no more");
    const outcomes = jobLines("dup-1").filter((l) => l.includes('"msg":"job"')).map((l) => JSON.parse(l.slice(l.indexOf("{"))).outcome);
    assert.deepEqual(outcomes.sort(), ["duplicate", "duplicate", "started"], "one delivery started the sync, two were duplicates");
    const after = await status(DUP.id);
    assert.equal(after.status, "live");
    assert.deepEqual(after.progress, resynced.progress);
  });

  it("a poison job goes to the dead-letter queue, the account shows it failed, and reconnecting heals it", async () => {
    const callsBefore = await graphCalls(DUP.id);
    const jobs = await service.jobs();
    await jobs.send({ kind: "bogus", id: "poison-1", accountId: DUP.id });
    const failed = await waitFor("the account failed", async () => {
      const s = await status(DUP.id);
      return s.status === "failed" && s;
    });
    assert.match(failed.error ?? "", /poison-1/, "the error names the job");
    assert.match(failed.error, /bogus/, "and its kind");
    const stated = /after (\d+) deliver/.exec(failed.error);
    if (stated) assert.equal(Number(stated[1]), 4, `the error's count of deliveries: ${failed.error}`);
    const listed = (await api.call("/api/accounts")).body.find((a) => a.accountId === DUP.id);
    assert.equal(listed.status, "failed", "the listing shows it failed");
    assert.match(listed.error ?? "", /poison-1/);
    const attempts = jobLines("poison-1").filter((l) => l.includes('"msg":"job failed"')).length;
    assert.equal(attempts, 4, "the job was delivered once and retried max_retries (3) times");
    assert.equal(jobLines("poison-1").filter((l) => l.includes('"msg":"job dead-lettered"')).length, 1);
    assert.equal(await graphCalls(DUP.id), callsBefore, "the poison job called Graph for nothing");

    // Connecting the account again (same token) starts a new backfill and brings it back.
    const reconnectedAt = Date.now();
    const r = await api.call("/api/accounts", { body: { platform: "messenger", accountId: DUP.id, accessToken: DUP.token } });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.status, "queued");
    const healed = await waitFor("the account live again", async () => {
      const s = await status(DUP.id);
      return s.status === "live" && s.progress?.doneAt > reconnectedAt && s;
    });
    assert.equal(healed.error, undefined, "no error once live again");
    const relisted = (await api.call("/api/accounts")).body.find((a) => a.accountId === DUP.id);
    assert.equal(relisted.status, "live");
    assert.equal(relisted.error, undefined);
    assert.ok(await graphCalls(DUP.id) > callsBefore, "the new backfill read Graph");
  });

  it("a disconnected account is gone: from the API, from the queue's reach and from storage", async () => {
    const threads = await api.inbox(GONE.id);
    assert.ok(threads.length > 0);
    const mid = threads[0].messages[0].id;
    // The sealed token as stored (the object's state row), to look for after the deletion.
    const holders = files(persist).filter((f) => {
      const text = readFileSync(f).toString("latin1");
      return text.includes(`"accountId":"${GONE.id}"`) && text.includes('"sealedToken":"v1.');
    });
    assert.ok(holders.length > 0, "the account's state is found in its object's storage");
    const sealed = readFileSync(holders[0]).toString("latin1").match(new RegExp(`"accountId":"${GONE.id}"[^}]*?"sealedToken":"(v1\\.[A-Za-z0-9+/=]+\\.[A-Za-z0-9+/=]+)"`))?.[1];
    assert.ok(sealed, "the sealed token is readable in the stored state");
    assert.ok(filesWith(persist, mid).length > 0, "the inbox's messages are stored");

    const deleted = await api.call(`/api/accounts/${GONE.id}`, { method: "DELETE" });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(deleted.text, "");
    assert.equal((await api.call(`/api/accounts/${GONE.id}`)).status, 404);
    assert.equal((await api.call(`/api/accounts/${GONE.id}/threads`)).status, 404);
    assert.equal((await api.call(`/api/accounts/${GONE.id}/threads/${encodeURIComponent(threads[0].key)}/messages`)).status, 404);
    assert.equal((await api.call(`/api/accounts/${GONE.id}`, { method: "DELETE" })).status, 404, "a second DELETE finds nothing");
    const listing = (await api.call("/api/accounts")).body;
    assert.deepEqual(listing.map((a) => a.accountId).sort(), [DUP.id, LIVE.id].sort(), "not listed; the others are");

    // A job and a webhook delivery for it afterwards: no Graph call, nothing stored, no error answer.
    const callsBefore = await graphCalls(GONE.id);
    await (await service.jobs()).send({ kind: "backfill", id: "after-delete", accountId: GONE.id });
    const customer = threads[0].userId;
    const body = JSON.stringify({
      object: "page",
      entry: [{ id: GONE.id, time: Date.now(), messaging: [{ sender: { id: customer }, recipient: { id: GONE.id }, timestamp: Date.now(), message: { mid: "m_after_delete", text: "anyone there?" } }] }],
    });
    const delivered = await fetch(`${service.url}/webhooks`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) }, body });
    assert.equal(delivered.status, 200, `a delivery for a disconnected account is acknowledged (Meta would retry it for ever): ${await delivered.text()}`);
    await waitFor("the job handled", () => jobLines("after-delete").some((l) => l.includes('"msg":"job"')), 10_000);
    await sleep(500);
    assert.equal(await graphCalls(GONE.id), callsBefore, "no Graph call for a disconnected account");
    assert.equal((await api.call(`/api/accounts/${GONE.id}`)).status, 404, "still gone");
    assert.deepEqual(jobLines("after-delete").filter((l) => l.includes('"msg":"job failed"')), [], "the job was not an error");

    // Storage: neither the sealed token nor the inbox is left in any file (the WAL included).
    const stillSealed = filesWith(persist, sealed);
    assert.deepEqual(stillSealed, [], "the sealed token is gone from storage");
    assert.deepEqual(filesWith(persist, GONE.token), [], "the token is in no file, in clear");
    assert.deepEqual(filesWith(persist, mid), [], "the inbox is gone from storage");

    // The account can be connected again afterwards, from scratch.
    const again = await api.call("/api/accounts", { body: { platform: "messenger", accountId: GONE.id, accessToken: GONE.token } });
    assert.equal(again.status, 202, again.text);
    const back = await waitFor("the reconnected account live", async () => {
      const s = await status(GONE.id);
      return s.status === "live" && s;
    });
    assert.equal(back.threads, threads.length, "a full backfill again");
    assert.ok(filesWith(persist, mid).length > 0, "its inbox stored again");
  });

  it("a message added on graph-sim reaches WebSocket and event-stream listeners", async () => {
    const WebSocket = tool("ws");
    const auth = { authorization: `Bearer ${SECRETS.API_KEY}` };
    const liveUrl = `${service.url}/api/accounts/${LIVE.id}/live`;

    // A WebSocket listener.
    const wsMessages = [];
    const ws = new WebSocket(liveUrl.replace(/^http/, "ws"), { headers: auth });
    ws.on("message", (data) => wsMessages.push(String(data)));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
      ws.once("unexpected-response", (_, res) => reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)));
    });
    // An event-stream listener.
    const abort = new AbortController();
    const sse = await fetch(liveUrl, { headers: { ...auth, accept: "text/event-stream" }, signal: abort.signal });
    assert.equal(sse.status, 200);
    assert.match(sse.headers.get("content-type") ?? "", /^text\/event-stream/);
    const sseEvents = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of sse.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = event.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
            if (data) sseEvents.push(data);
          }
        }
      } catch (e) {
        if (e.name !== "AbortError") throw e;
      }
    })();
    try {
      // Both first say how the account stands.
      await waitFor("the WebSocket's hello", () => wsMessages.length > 0, 5000);
      await waitFor("the event stream's hello", () => sseEvents.length > 0, 5000);
      for (const hello of [wsMessages[0], sseEvents[0]]) {
        const m = JSON.parse(hello);
        assert.equal(m.type, "account");
        assert.equal(m.account.accountId, LIVE.id);
        assert.equal(m.account.status, "live");
      }
      ws.send("ping");
      await waitFor("pong", () => wsMessages.includes("pong"), 5000);

      // graph-sim delivers its webhooks to the service. The handshake starts a catch-up sync of
      // every live account (deliveries may have stopped before it): let it finish first.
      const subscribedAt = Date.now();
      const subscribed = await fetch(`${sim.url}/__sim/webhooks/subscribe`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `${service.url}/webhooks`, verify_token: SECRETS.VERIFY_TOKEN }),
      });
      assert.equal(subscribed.status, 200, await subscribed.text());
      await waitFor("the handshake's catch-up", async () => {
        const s = await status(LIVE.id);
        return s.status === "live" && s.progress?.doneAt > subscribedAt;
      });
      await sleep(1100); // past the directory's report interval: what follows is reported

      // A customer writes in.
      const truth = await (await fetch(`${sim.url}/__sim/truth?account=${LIVE.id}&platform=messenger`)).json();
      const conversation = truth.threads.find((t) => t.listed) ?? truth.threads[0];
      const added = await sim.addMessage(conversation.id, "is the cat café open today?");
      assert.ok(added.id, "graph-sim added the message");

      const parse = (texts) => texts.map((t) => { try { return JSON.parse(t); } catch { return null; } });
      const threadChange = (texts, id) => parse(texts).find((m) => m?.type === "thread" && m.thread.messages[0]?.id === id);
      const viaWs = await waitFor("the change on the WebSocket", () => threadChange(wsMessages, added.id), 15_000);
      const viaSse = await waitFor("the change on the event stream", () => threadChange(sseEvents, added.id), 15_000);
      for (const change of [viaWs, viaSse]) {
        assert.equal(change.thread.key, `messenger:${LIVE.id}:${conversation.customer_id}`);
        assert.equal(change.thread.conversationId, conversation.id, "the synced thread, not a new one");
        assert.ok(change.thread.messages.length <= 3, "a change carries the newest few messages");
      }
      assert.deepEqual(viaSse.thread, viaWs.thread, "both listeners get the same change");

      // A second message at once (within the directory's report interval of the first).
      const secondSentAt = Date.now();
      const second = await sim.addMessage(conversation.id, "and do you have oat milk?");
      const secondViaWs = await waitFor("the second change on the WebSocket", () => threadChange(wsMessages, second.id), 15_000);
      await waitFor("the second change on the event stream", () => threadChange(sseEvents, second.id), 15_000);
      assert.deepEqual(secondViaWs.thread.messages.slice(0, 2).map((m) => m.id), [second.id, added.id]);

      // The API has both, and the listing says when the account last heard from Meta: the
      // second delivery too, although it came within the report interval of the first.
      const page = (await api.call(`/api/accounts/${LIVE.id}/threads?limit=1`)).body;
      assert.equal(page.data[0].key, viaWs.thread.key, "the thread is now the newest");
      assert.equal(page.data[0].messages[0].id, second.id);
      const own = await status(LIVE.id);
      assert.ok(own.lastEventAt >= secondSentAt, "the account's own status has the last event");
      await waitFor("the listing's lastEventAt of the second delivery", async () => {
        const listed = (await api.call("/api/accounts")).body.find((a) => a.accountId === LIVE.id);
        return listed.lastEventAt >= secondSentAt && listed;
      }, 5000);
    } finally {
      ws.terminate();
      abort.abort();
      await reading;
    }

    // Nothing any listener or the API received holds a secret or the token.
    const secrets = [LIVE.token, PAGE.token, SECRETS.API_KEY, SECRETS.APP_SECRET, SECRETS.VERIFY_TOKEN, SECRETS.TOKEN_KEY];
    for (const text of [...wsMessages, ...sseEvents, ...api.seen, service.logs.join("")]) {
      for (const s of secrets) assert.ok(!text.includes(s), `a secret in: ${text.slice(0, 200)}`);
    }
  });
});
