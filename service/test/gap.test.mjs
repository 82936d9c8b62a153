// Gaps heal themselves: the service is down long enough for graph-sim (as Meta does) to disable
// the webhook subscription; traffic goes on, and those events are never delivered. When the
// service is back and the app subscribes again, the handshake makes every live account run a
// catch-up sync, after which every inbox equals the ground truth again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startSim } from "../launch.mjs";
import { diffInbox } from "../inbox-truth.mjs";
import { SECRETS, apiClient, getJson as json, postJson as post, sleep, startService, stateDir, waitFor } from "./harness.mjs";

const GRAPH_LAG_MS = 1000;
const PAGES = 3;

test("deliveries lost while the subscription was disabled are healed by the catch-up a new subscription starts", async () => {
  const sim = await startSim([
    "--seed", "5", "--pages", String(PAGES), "--page-threads", "6", "--messages", "1..30",
    "--messenger-threads", "10", "--instagram-threads", "6",
    "--webhook-secret", SECRETS.APP_SECRET, "--verify-token", SECRETS.VERIFY_TOKEN,
    "--webhook-batch-ms", "20", "--webhook-retry-base-ms", "50", "--webhook-retry-max-ms", "200",
    "--webhook-disable-after-ms", "1000",
  ]);
  const persist = stateDir();
  const vars = { GRAPH_BASE_URL: sim.url, GRAPH_LAG_MS: String(GRAPH_LAG_MS) };
  let service = await startService({ persist, vars });
  const port = new URL(service.url).port;
  try {
    const api = apiClient(service.url);
    const accounts = [{ platform: "messenger", accountId: "106000000000001", accessToken: "sim-page-token" }];
    for (let k = 1; k <= PAGES; k++) accounts.push({ platform: "messenger", accountId: String(106000000100000 + k), accessToken: `sim-page-token-${k}` });
    await post(`${sim.url}/__sim/webhooks/subscribe`, { url: `${service.url}/webhooks`, verify_token: SECRETS.VERIFY_TOKEN });
    for (const a of accounts) assert.equal((await api.call("/api/accounts", { body: a })).status, 202);
    await waitFor("every account live", async () => (await api.call("/api/accounts")).body.every((a) => a.status === "live"));

    // Down: deliveries fail until graph-sim disables the subscription; traffic goes on.
    await service.dispose();
    const ids = accounts.map((a) => a.accountId);
    await post(`${sim.url}/__sim/webhooks/traffic`, { rate: 50, steps: 60, accounts: ids });
    await waitFor("the subscription disabled", async () => !(await json(`${sim.url}/__sim/webhooks`)).enabled, 20_000);
    await waitFor("the traffic done", async () => (await json(`${sim.url}/__sim/webhooks`)).traffic.steps >= 60, 20_000);
    const lost = await json(`${sim.url}/__sim/webhooks`);
    assert.ok(lost.dropped > 0, "events were lost while disabled");

    // Back, and subscribed again: the handshake starts a catch-up of every live account.
    service = await startService({ persist, vars, port });
    await sleep(GRAPH_LAG_MS + 200); // what changed is older than the lag when Graph is read
    const resubscribedAt = Date.now();
    await post(`${sim.url}/__sim/webhooks/subscribe`, { url: `${service.url}/webhooks`, verify_token: SECRETS.VERIFY_TOKEN });
    await waitFor("every account caught up", async () => {
      const r = await apiClient(service.url).call("/api/accounts");
      return r.body.every((a) => a.status === "live" && a.progress?.doneAt > resubscribedAt);
    });

    const log = await json(`${sim.url}/__sim/webhooks/log`);
    const delivered = new Set(log.filter((p) => p.status === 200).flatMap((p) => p.mids));
    const again = apiClient(service.url);
    let diffs = [];
    for (const a of accounts) {
      const truth = await json(`${sim.url}/__sim/truth?platform=${a.platform}&account=${a.accountId}`);
      diffs = diffs.concat(diffInbox(await again.inbox(a.accountId), truth, a, delivered).diffs);
    }
    assert.deepEqual(diffs, [], `inboxes differ from the truth after the catch-up:\n${diffs.join("\n")}`);
    assert.equal((await json(`${sim.url}/__sim/stats`)).throttled, 0);
  } finally {
    await service.dispose().catch(() => {});
    sim.stop();
  }
});
