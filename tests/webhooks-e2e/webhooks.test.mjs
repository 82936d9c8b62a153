// The webhooks end to end, in workerd (Miniflare), Deno (Deno.serve) and Node (node:http): the
// receiver app (app.mjs, over the packed package as users install it) gets graph-sim's live
// traffic as Meta's webhooks while a full syncInbox of the same accounts runs; then it is down
// (503) until graph-sim disables the subscription, and traffic goes on (those events are lost:
// Meta keeps no history); then it comes back, resubscribes and syncs incrementally from the
// `inbox.since()` read before deliveries resumed. Once traffic has stopped and the delivery
// queue has drained, the inbox must equal graph-sim's ground truth (/__sim/truth) exactly, for
// the Page's Messenger inbox and the Instagram inbox.
// Run by scripts/test-webhooks-e2e.sh from the throwaway consumer target/webhooks-e2e/app.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { importTool, startSim } from "./launch.mjs";
import { bundle, modulesRules } from "./workerd/bundle.mjs";
import { APP_SECRET, GRAPH_LAG_MS, VERIFY_TOKEN } from "./settings.mjs";
import { diffInbox } from "./inbox-truth.mjs";

const app = process.cwd();
const PAGE = { id: "106000000000001", token: "sim-page-token" };
const IG = { id: "17841400000000001" };
// Both inboxes, read with the Page's token; accountId is what webhooks send as entry.id.
const ACCOUNTS = [
  { platform: "messenger", accountId: PAGE.id, pageId: PAGE.id, token: PAGE.token },
  { platform: "instagram", accountId: IG.id, pageId: PAGE.id, token: PAGE.token },
];
const TRAFFIC_RATE = 20; // changes per second
const LATENCY_POSTS = 24; // control-API messages per platform, into one thread (more than 20)
const LOST_STEPS = 20; // traffic changes made while the subscription is disabled
const FINAL_STEPS = 40; // traffic changes after resubscribing


// The simulator's data and the traffic sequences (E2E_SEED=n to vary them).
const SEED = Number(process.env.E2E_SEED || 11);
const SIM_ARGS = [
  "--rate", "0", "--seed", String(SEED),
  "--messenger-threads", "14", "--instagram-threads", "10", "--messages", "1..40",
  "--webhook-secret", APP_SECRET, "--verify-token", VERIFY_TOKEN,
  "--webhook-batch-ms", "20", "--webhook-retry-base-ms", "50", "--webhook-retry-max-ms", "200",
  "--webhook-disable-after-ms", "1500", "--webhook-timeout-ms", "2000",
  "--webhook-duplicate-rate", "0.1", "--webhook-reorder-rate", "0.1",
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (truthy = done) every 25 ms; fails with `what` and the last value after `ms`. */
async function waitFor(what, check, ms = 20_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

async function call(base, path, body, method = body === undefined ? "GET" : "POST") {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** A child process that prints `listening on URL` first: resolves to { url, stop }. */
function listen(cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: app, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} printed no address within 20 s`)), 20_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${cmd} exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (!m) return reject(new Error(`${cmd}'s first line: ${line}`));
      lines.on("line", (l) => process.stdout.write(`[${cmd}] ${l}\n`));
      resolve({ url: m[1], stop: () => child.kill() });
    });
  });
}

const RUNTIMES = {
  async workerd(simUrl) {
    const { Miniflare } = await importTool("miniflare");
    const out = join(app, ".webhooks-e2e-worker");
    await bundle(join(app, "worker.js"), out);
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(out, "worker.js"),
      modulesRules,
      compatibilityDate: "2025-07-01",
      host: "127.0.0.1",
      port: 0,
      bindings: { GRAPH_BASE_URL: simUrl, APP_SECRET, VERIFY_TOKEN },
    });
    const url = (await mf.ready).origin;
    return {
      url,
      stop: () => mf.dispose(),
      // The wasm was instantiated from the imported Module, never compiled from bytes.
      check: async () => {
        const guard = await call(url, "/__guard");
        assert.deepEqual(guard.violations, [], "the wasm was never compiled from bytes");
        assert.equal(guard.instancesFromModule, 1, "one instance, from a WebAssembly.Module");
      },
    };
  },
  async deno(simUrl) {
    // The narrowest permissions: the simulator, its own listener, the package's wasm.
    const port = await freePort();
    const simHost = new URL(simUrl).host;
    return listen("deno", [
      "run", "--quiet", `--allow-net=${simHost},127.0.0.1:${port}`, "--allow-read=node_modules/graph-conversations/wasm",
      "deno.ts", simUrl, String(port),
    ]);
  },
  node: (simUrl) => listen(process.execPath, ["node.mjs", simUrl]),
};

/** A free loopback port (Deno's --allow-net names the port it may listen on). */
async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const truth = (sim, a) => call(sim.url, `/__sim/truth?platform=${a.platform}&account=${a.accountId}`);
const hookStatus = (sim) => call(sim.url, "/__sim/webhooks");
const subscribe = (sim, receiver) =>
  call(sim.url, "/__sim/webhooks/subscribe", { url: `${receiver.url}/webhooks`, verify_token: VERIFY_TOKEN });
const post = (sim, conversationId, text, from = "customer") => call(sim.url, "/__sim/messages", { conversation_id: conversationId, text, from });
const syncAll = (receiver, since) =>
  Promise.all(ACCOUNTS.map((a) => call(receiver.url, "/sync", { ...a, ...(since ? { since } : {}) })));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

for (const [name, start] of Object.entries(RUNTIMES)) {
  test(`${name}: live webhooks + concurrent sync, an outage that disables the subscription, resubscribe + incremental sync = the ground truth`, async (t) => {
    const t0 = Date.now();
    const sim = await startSim(SIM_ARGS);
    let receiver;
    try {
      receiver = await start(sim.url);

      // 1. Subscribe through the receiver's handshake; live traffic; the full sync, concurrently.
      const subscribed = await subscribe(sim, receiver);
      assert.equal(subscribed.enabled, true, `subscribed: ${JSON.stringify(subscribed)}`);
      await call(sim.url, "/__sim/webhooks/traffic", { rate: TRAFFIC_RATE, seed: SEED });
      const posted = new Map(); // mid -> ms just before the control-API call
      const probed = await Promise.all(ACCOUNTS.map(async (a) => (await truth(sim, a)).threads.at(-1).id));
      const latencyPosts = async () => {
        for (let i = 0; i < LATENCY_POSTS; i++) {
          for (const conversation of probed) {
            const before = Date.now();
            // Both sides, so the newest customer and business messages (what traffic reacts
            // to, edits and unsends) stay among the newest 20, where Graph shows their state.
            const { id } = await post(sim, conversation, `latency probe ${i}`, i % 2 ? "business" : "customer");
            posted.set(id, before);
          }
          await sleep(40);
        }
      };
      const [full] = await Promise.all([syncAll(receiver), latencyPosts()]);
      for (const [i, r] of full.entries()) assert.ok(r.conversations > 0, `the full ${ACCOUNTS[i].platform} sync read threads`);
      const stats1 = await waitFor("every probe message applied by webhook", async () => {
        const s = await call(receiver.url, "/stats");
        return [...posted.keys()].every((mid) => s.appliedAt[mid]) && s;
      });
      const latencies = [...posted].map(([mid, before]) => stats1.appliedAt[mid] - before);

      // Right before the outage every thread gets a message, delivered by webhook. `since` is
      // the newest activity less a minute, and graph-sim's message times run ahead of the clock
      // under traffic (each new message takes the next whole second): this way every thread is
      // newer than `since`, so the incremental sync reads every thread again and the changes
      // lost with the outage that do not move updated_time (reactions, edits, unsends, reads)
      // are knowable. (A thread idle since before `since` would keep such a change lost.)
      const primed = [];
      for (const a of ACCOUNTS) {
        for (const th of (await truth(sim, a)).threads) primed.push((await post(sim, th.id, `last before the outage ${th.customer_id}`)).id);
      }
      await waitFor("every thread's last message before the outage applied", async () => {
        const s = await call(receiver.url, "/stats");
        return primed.every((mid) => s.appliedAt[mid]);
      });

      // 2. Down until graph-sim gives up and disables the subscription.
      await call(receiver.url, "/down", {});
      const disabled = await waitFor("the subscription disabled", async () => {
        const s = await hookStatus(sim);
        return !s.enabled && s;
      });
      assert.ok(disabled.disabled_reason, `a reason: ${JSON.stringify(disabled)}`);
      const { since } = await call(receiver.url, "/since");
      assert.ok(since, "the inbox has a since");
      // Traffic goes on: these changes reach nobody as webhooks.
      await waitFor(`${LOST_STEPS} more traffic changes`, async () => (await hookStatus(sim)).traffic.steps >= disabled.traffic.steps + LOST_STEPS);

      // 3. Up, resubscribe, incremental sync while traffic (and its webhooks) go on, for
      // FINAL_STEPS more changes (graph-sim counts a step once its change is made, and stops).
      await call(receiver.url, "/up", {});
      assert.equal((await subscribe(sim, receiver)).enabled, true, "resubscribed");
      await call(sim.url, "/__sim/webhooks/traffic", { rate: TRAFFIC_RATE, seed: SEED + 1, steps: FINAL_STEPS });
      await syncAll(receiver, since);
      await waitFor("the last traffic change", async () => (await hookStatus(sim)).traffic.steps === FINAL_STEPS);
      const lastChange = Date.now();
      await waitFor("the Graph lag after the last change", async () => Date.now() > lastChange + GRAPH_LAG_MS);
      // Messenger sends no webhook for an unsend, so an unsend after that sync is known only to
      // a sync after it: one more incremental sync from the same since, after the last change.
      await syncAll(receiver, since);
      assert.equal((await hookStatus(sim)).traffic.steps, FINAL_STEPS, "no change after the last sync began");
      await waitFor("the delivery queue drained", async () => {
        const s = await hookStatus(sim);
        return s.enabled && s.pending === 0 && s;
      });

      // 4. The inbox equals the truth.
      const threads = await call(receiver.url, "/inbox");
      const stats = await call(receiver.url, "/stats");
      const delivered = new Set(Object.keys(stats.appliedAt));
      const status = await hookStatus(sim);
      let diffs = [];
      const counted = {};
      for (const a of ACCOUNTS) {
        const r = diffInbox(threads, await truth(sim, a), a, delivered);
        diffs = diffs.concat(r.diffs);
        for (const [k, v] of Object.entries(r.counted)) counted[k] = (counted[k] ?? 0) + v;
      }
      if (receiver.check) await receiver.check();
      const report = {
        runtime: name,
        ms: Date.now() - t0,
        latencyMedianMs: median(latencies),
        latencyMaxMs: Math.max(...latencies),
        latencySamples: latencies.length,
        eventsReceived: stats.events,
        distinctEvents: stats.distinct,
        duplicatesMerged: stats.events - stats.distinct,
        posts: stats.posts,
        sim: { emitted: status.emitted, delivered: status.delivered, dropped: status.dropped, posts: status.posts, failed: status.failed_attempts, steps: status.traffic.steps },
        checked: counted,
      };
      t.diagnostic(JSON.stringify(report));
      console.log(`# webhooks-e2e ${JSON.stringify(report)}`);
      assert.deepEqual(diffs, [], `the inbox differs from the truth:\n${diffs.join("\n")}`);
      // What the run must have exercised for the comparison to mean something.
      assert.ok(status.dropped > 0, "events were lost while the subscription was disabled");
      assert.ok(stats.events > stats.distinct, "duplicates were delivered (and merged)");
      assert.ok(counted.beyondWindowWithText > 0, "messages older than the newest 20 kept their webhook text");
    } finally {
      await receiver?.stop();
      sim.stop();
    }
  });
}
