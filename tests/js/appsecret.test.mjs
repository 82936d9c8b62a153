// Node-only: against a simulator that requires appsecret_proof (`--app-secret`), a client with
// computeAppSecretProof's result is served, and one without is refused with Graph's error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ConversationsClient, GraphApiError, computeAppSecretProof } from "graph-conversations";
import { startSim } from "./launch.mjs";

const SECRET = "app-secret-for-tests";
let sim;
before(async () => { sim = await startSim(["--rate", "0", "--app-secret", SECRET]); });
after(() => sim.stop());

test("appSecretProof from computeAppSecretProof is accepted; none is refused", async () => {
  const options = { accessToken: "sim-page-token", baseUrl: sim.url, requestsPerSecond: 0 };
  const appSecretProof = await computeAppSecretProof("sim-page-token", SECRET);
  const ok = new ConversationsClient({ ...options, appSecretProof });
  const page = await ok.listConversations("me", { platform: "messenger", limit: 2 });
  assert.equal(page.data.length, 2);
  const [logged] = (await sim.requests()).slice(-1);
  assert.ok(logged.query_keys.includes("appsecret_proof") && logged.query_keys.includes("appsecret_time"));

  const none = new ConversationsClient(options);
  const err = await none.listConversations("me", { platform: "messenger" }).catch((e) => e);
  assert.ok(err instanceof GraphApiError);
  assert.equal(err.code, 100);
  assert.match(err.message, /appsecret_proof/);

  const wrong = new ConversationsClient({ ...options, appSecretProof: await computeAppSecretProof("sim-page-token", "not-the-secret") });
  const bad = await wrong.listConversations("me", { platform: "messenger" }).catch((e) => e);
  assert.ok(bad instanceof GraphApiError && bad.code === 100, String(bad));
});
