// Many accounts in workerd: SERVICE_ACCOUNTS extra Pages of graph-sim (1,000 by default) plus
// the fixed Page's Messenger inbox and its Instagram account are connected through the API and
// backfilled while live webhook traffic flows for some of them. In the middle the runtime is
// disposed and started again on the same storage. Afterwards every account's stored inbox, read
// through the API, equals graph-sim's ground truth; graph-sim answered no call with a throttle
// and saw no account called faster than 2/s; every webhook POST that got a 200 is in the
// inboxes; no token is in any response, log line, queue message or stored byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startSim } from "../launch.mjs";
import { diffInbox } from "../inbox-truth.mjs";
import { SECRETS, apiClient, getJson as json, postJson as post, sleep, startService, stateDir, waitFor } from "./harness.mjs";

const ACCOUNTS = Number(process.env.SERVICE_ACCOUNTS || 1000);
const LIVE_ACCOUNTS = 12; // extra Pages with live traffic during the backfill
const TRAFFIC = { rate: 40, steps: 240 };
const PAGE = { id: "106000000000001", token: "sim-page-token" };
const IG = { id: "17841400000000001" };
const PACE_MS = 500; // 2 calls/s per account
// How much earlier than the pace a call may arrive at graph-sim: the service spaces call starts
// 500 ms apart, but one busy workerd thread can delay a request's departure (distributed.md §5.2;
// 350-450 ms arrival gaps seen at 1,000 accounts). Two callers sharing a bucket show as gaps of
// a few milliseconds (5 ms, when an Instagram account read through its Page had its own pace).
const ARRIVAL_JITTER_MS = 250;
// A Graph read shows every change older than this (the Inbox's graphLagMs; the default 30 s
// would make the test wait that long before its catch-up sync can repair an unsend).
const GRAPH_LAG_MS = 1000;

/** Every file under `dir`, recursively. */
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});

test(`${ACCOUNTS + 2} accounts: backfill with live webhooks and a restart = the ground truth, paced, nothing leaked`, async () => {
  const sim = await startSim([
    "--seed", "7", "--pages", String(ACCOUNTS), "--page-threads", "3",
    "--messenger-threads", "30", "--instagram-threads", "20", "--messages", "1..30",
    "--webhook-secret", SECRETS.APP_SECRET, "--verify-token", SECRETS.VERIFY_TOKEN,
    "--webhook-batch-ms", "20", "--webhook-retry-base-ms", "100", "--webhook-retry-max-ms", "1000",
    "--webhook-disable-after-ms", "120000", "--webhook-duplicate-rate", "0.05", "--webhook-reorder-rate", "0.05",
  ]);
  const persist = stateDir();
  const vars = { GRAPH_BASE_URL: sim.url, STALLED_MS: "0", GRAPH_LAG_MS: String(GRAPH_LAG_MS) };
  let service = await startService({ persist, vars, queue: { retryDelay: 0 } });
  const logs = [service.logs];
  const port = new URL(service.url).port;
  try {
    const api = apiClient(service.url);
    const t0 = Date.now();
    await post(`${sim.url}/__sim/webhooks/subscribe`, { url: `${service.url}/webhooks`, verify_token: SECRETS.VERIFY_TOKEN });

    const accounts = [
      { platform: "messenger", accountId: PAGE.id, accessToken: PAGE.token },
      { platform: "instagram", accountId: IG.id, pageId: PAGE.id, accessToken: PAGE.token },
    ];
    for (let k = 1; k <= ACCOUNTS; k++) {
      accounts.push({ platform: "messenger", accountId: String(106000000100000 + k), accessToken: `${PAGE.token}-${k}` });
    }
    const live = [PAGE.id, IG.id, ...accounts.slice(2, 2 + LIVE_ACCOUNTS).map((a) => a.accountId)];
    await post(`${sim.url}/__sim/webhooks/traffic`, { ...TRAFFIC, accounts: live });

    // Connect every account, 16 requests at a time, as an operator's script would.
    for (let i = 0; i < accounts.length; i += 16) {
      const answers = await Promise.all(accounts.slice(i, i + 16).map((a) => api.call("/api/accounts", { body: a })));
      for (const r of answers) assert.equal(r.status, 202, r.text);
    }
    const connectedMs = Date.now() - t0;

    // Crash: once a third of the accounts are live, the runtime goes away mid-run and comes
    // back on the same storage and port (graph-sim's deliveries meanwhile fail and are retried).
    await waitFor("a third of the accounts live", async () => {
      const r = await api.call("/api/accounts");
      if (process.env.SERVICE_DEBUG) console.error(JSON.stringify(r.body.map((a) => [a.status, a.progress?.requests, a.error])));
      return r.body.filter((a) => a.status === "live").length >= accounts.length / 3;
    }, 120_000, 200);
    await service.dispose();
    await sleep(500);
    service = await startService({ persist, vars, queue: { retryDelay: 0 }, port });
    logs.push(service.logs);
    // The cron trigger re-sends every unfinished job (the local queue lost its messages with
    // the runtime; in production it keeps them): idempotent by job id.
    await service.scheduled();

    let statuses;
    const states = await waitFor("every account live", async () => {
      const r = await api.call("/api/accounts");
      statuses = r.body.reduce((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});
      return r.body.length === accounts.length && r.body.every((a) => a.status === "live") && r.body;
    }, 180_000, 250).catch((e) => {
      throw new Error(`${e.message}; accounts by status: ${JSON.stringify(statuses)}`);
    });
    const backfillMs = Date.now() - t0;
    assert.ok(states.every((a) => !a.error), "no account failed");

    await waitFor("the traffic to end and every delivery to land", async () => {
      const s = await json(`${sim.url}/__sim/webhooks`);
      return s.traffic.steps >= TRAFFIC.steps && s.pending === 0 && s;
    }, 60_000, 200);
    // Messenger sends no webhook for an unsent message: the cron's catch-up sync (a snapshot of
    // what changed since the newest stored time) repairs it once it is older than the lag.
    await sleep(GRAPH_LAG_MS + 500);
    const catchUpFrom = Date.now();
    await service.scheduled();
    await waitFor("every account caught up", async () => {
      const r = await api.call("/api/accounts");
      return r.body.every((a) => a.status === "live" && a.progress?.doneAt > catchUpFrom);
    }, 120_000, 250);

    // Exactness: every account's inbox, read through the API, against the truth.
    const log = await json(`${sim.url}/__sim/webhooks/log`);
    const delivered = new Set(log.filter((p) => p.status === 200).flatMap((p) => p.mids));
    let diffs = [];
    let compared = 0;
    for (const a of accounts) {
      const truth = await json(`${sim.url}/__sim/truth?platform=${a.platform}&account=${a.accountId}`);
      const threads = await api.inbox(a.accountId);
      diffs = diffs.concat(diffInbox(threads, truth, a, delivered).diffs);
      compared += threads.length;
      if (diffs.length > 20) break;
    }
    assert.deepEqual(diffs, [], `stored inboxes differ from the truth:\n${diffs.join("\n")}`);

    // Every message a 200 acknowledged is stored (a message later unsent is rightly gone).
    const truthMids = new Set();
    for (const a of [accounts[0], accounts[1], ...accounts.slice(2, 2 + LIVE_ACCOUNTS)]) {
      const truth = await json(`${sim.url}/__sim/truth?platform=${a.platform}&account=${a.accountId}`);
      for (const t of truth.threads) for (const m of t.messages) if (!m.unsent) truthMids.add(m.id);
    }
    const acknowledged = [...delivered].filter((mid) => truthMids.has(mid));
    assert.ok(acknowledged.length > 100, `live traffic reached the service (${acknowledged.length} messages)`);

    // Pacing, by graph-sim's clock.
    const stats = await json(`${sim.url}/__sim/stats`);
    assert.equal(stats.throttled, 0, "graph-sim throttled no call");
    const gaps = Object.entries(stats.pacing).filter(([, p]) => p.min_gap_ms !== null);
    const tooClose = gaps.filter(([, p]) => p.min_gap_ms < PACE_MS - ARRIVAL_JITTER_MS);
    assert.deepEqual(tooClose, [], `no account called faster than its pace: ${JSON.stringify(tooClose)}`);

    // Nothing leaked: no token in any response, log line (queue messages are logged as
    // handled), or byte of stored state.
    const tokens = accounts.map((a) => a.accessToken);
    const haystacks = [...api.seen, ...logs.flat()];
    for (const text of haystacks) for (const secret of [PAGE.token, SECRETS.TOKEN_KEY, SECRETS.APP_SECRET]) assert.ok(!text.includes(secret), `a secret in: ${text.slice(0, 200)}`);
    const stored = files(persist);
    assert.ok(stored.length > accounts.length, "every account has its SQLite file");
    for (const file of stored) {
      const bytes = readFileSync(file).toString("latin1");
      assert.ok(!bytes.includes(PAGE.token), `a token stored in clear in ${file}`);
    }
    assert.ok(logs.flat().join("").includes('"msg":"job"'), "job handling is logged (and was scanned)");

    const minGap = Math.min(...gaps.map(([, p]) => p.min_gap_ms));
    console.log(JSON.stringify({
      accounts: accounts.length, threadsCompared: compared, graphCalls: stats.requests, connectedMs, backfillMs,
      webhookPosts: log.length, acknowledgedMessages: acknowledged.length, minGapMs: minGap, tokens: tokens.length,
    }));
  } finally {
    await service.dispose().catch(() => {});
    sim.stop();
  }
});
