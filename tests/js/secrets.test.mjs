// Node-only: nothing the package keeps or returns shows the access token, the app secret proof or
// a webhook receiver's secrets — not JSON.stringify, not util.inspect (what console.log prints), not errors — and the
// JS class forwards exactly the operations the wasm class declares in the generated types.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import { ConversationsClient, GraphApiError, WebhookReceiver, computeAppSecretProof } from "graph-conversations";
import { startSim } from "./launch.mjs";

const TOKEN = "sim-page-token";
const SECRET = "app-secret-0815";
let sim;
before(async () => { sim = await startSim(["--rate", "0", "--app-secret", SECRET]); });
after(() => sim.stop());

function assertHidden(value, secrets, what) {
  const shown = [
    JSON.stringify(value) ?? "",
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    String(value),
  ];
  for (const text of shown) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${what} shows a secret: ${text}`);
  }
}

test("no token or proof in what the client, its lists, progress and errors show", async () => {
  const appSecretProof = await computeAppSecretProof(TOKEN, SECRET);
  const secrets = [TOKEN, appSecretProof.proof, SECRET];
  const client = new ConversationsClient({ accessToken: TOKEN, baseUrl: sim.url, requestsPerSecond: 0, appSecretProof });
  assertHidden(client, secrets, "a new client");
  const page = await client.listConversations("me", { platform: "messenger", limit: 2 });
  assertHidden(page, secrets, "a page");
  assertHidden(client, secrets, "a used client");
  const list = client.conversations("me", { platform: "messenger", limit: 2 });
  await list.toArray({ limit: 3 });
  assertHidden(list, secrets, "a list");
  const progress = [];
  for await (const item of client.syncInbox("me", { platform: "instagram", onProgress: (p) => progress.push(p) })) {
    assertHidden(item, secrets, "a synced conversation");
    break;
  }
  assertHidden(progress, secrets, "sync progress");

  const refused = new ConversationsClient({ accessToken: `${TOKEN}-wrong`, baseUrl: sim.url, requestsPerSecond: 0, maxRetries: 0 });
  const err = await refused.getMessage("m_1").catch((e) => e);
  assert.ok(err instanceof GraphApiError, String(err));
  assertHidden(err, [`${TOKEN}-wrong`, ...secrets], "an error");
  assertHidden(refused, [`${TOKEN}-wrong`], "a refused client");
});

test("no app secret or verify token in what a WebhookReceiver, its results and errors show", async () => {
  const secrets = ["whsec-app-0815", "whsec-instagram-4711", "verify-token-1234"];
  const receiver = new WebhookReceiver({ appSecret: secrets[0], additionalSecrets: [secrets[1]], verifyToken: secrets[2] });
  assertHidden(receiver, secrets, "a new receiver");
  // The check itself is sound: the same inspection shows a secret kept on a plain object.
  assert.throws(() => assertHidden({ kept: secrets[0] }, secrets, "a plain object"), /shows a secret/);
  const body = '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m","text":"x"}}]}]}';
  const signature = `sha256=${createHmac("sha256", secrets[1]).update(body).digest("hex")}`;
  const events = await receiver.receive(body, signature);
  assert.equal(events.length, 1);
  assertHidden(events, secrets, "received events");
  const refused = await receiver.receive(body, "sha256=00").catch((e) => e);
  assert.ok(refused instanceof GraphApiError && refused.kind === "invalid_signature", String(refused));
  assertHidden(refused, secrets, "a signature error");
  const forbidden = await receiver.handle(new Request("https://x/?hub.mode=subscribe&hub.verify_token=no&hub.challenge=1"), () => {});
  assert.equal(forbidden.status, 403);
  assertHidden(await forbidden.text(), secrets, "a refused handshake");
  assertHidden(receiver, secrets, "a used receiver");
});

test("the JS class forwards every method of the generated ConversationsClient, and no other", () => {
  const manifest = createRequire(import.meta.url).resolve("graph-conversations/package.json");
  const types = readFileSync(new URL("types.d.ts", `file://${manifest}`), "utf8");
  const body = /export class ConversationsClient \{([\s\S]*?)\n\}/.exec(types)[1];
  const declared = [...body.matchAll(/^ {4}(\w+)\(/gm)].map((m) => m[1]).filter((n) => n !== "free" && n !== "constructor").sort();
  const getters = [...body.matchAll(/^ {4}readonly (\w+):/gm)].map((m) => m[1]).sort();
  const own = Object.getOwnPropertyNames(ConversationsClient.prototype).filter((n) => n !== "constructor" && n !== "free");
  const isGetter = (n) => Object.getOwnPropertyDescriptor(ConversationsClient.prototype, n).get !== undefined;
  assert.deepEqual(own.filter((n) => !isGetter(n)).sort(), declared);
  assert.deepEqual(own.filter(isGetter).sort(), getters, "the JS class has exactly the generated getters");
  // Like written-out class methods: not enumerable, so they do not show up on instances.
  for (const name of own) assert.equal(Object.getOwnPropertyDescriptor(ConversationsClient.prototype, name).enumerable, false, name);
});
