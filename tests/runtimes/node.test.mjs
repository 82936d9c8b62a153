// The README's Node, slim and Node webhook snippets, each run as its own `node` process against
// graph-sim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { listedThreads, run, serve, sim, PAGE } from "./lib.mjs";
import { sign } from "./webhooks.suite.mjs";

const env = { PAGE_TOKEN: PAGE.token, PAGE_ID: PAGE.id, GRAPH_BASE_URL: sim.url };

test("node snippet: prints every Messenger thread, newest first", async () => {
  await sim.reset();
  const r = await run("node", ["snippets/node.mjs"], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, await listedThreads(PAGE.id, "messenger"), "one line per listed thread");
  const rows = lines.map((l) => /^(\S+)  (t_\S+)  ([^:]+): /.exec(l));
  assert.ok(rows.every(Boolean), `every line has time, id and names:\n${lines.slice(0, 3).join("\n")}`);
  const times = rows.map((m) => m[1]);
  assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]), "newest first");
  assert.equal(new Set(rows.map((m) => m[2])).size, lines.length, "no thread twice");
  assert.ok(rows.every((m) => m[3].includes("Kitty Café")), "the Page is a participant by name");
});

test("node snippet: a Graph error is reported by kind, exit code 1", async () => {
  const r = await run("node", ["snippets/node.mjs"], { env: { ...env, PAGE_TOKEN: "expired-token" } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Graph API error \(auth\): /);
  assert.ok(!r.stderr.includes("expired-token"), "the token is not printed");
});

test("slim snippet: initWasm with the bytes, then calls", async () => {
  const r = await run("node", ["snippets/slim.mjs"], { env });
  assert.equal(r.code, 0, r.stderr);
  const api = await import("graph-conversations");
  const c = new api.ConversationsClient({ accessToken: PAGE.token, baseUrl: sim.url, requestsPerSecond: 0 });
  const page = await c.listConversations(PAGE.id, { platform: "messenger", limit: 3 });
  assert.equal(r.stdout.trim(), page.data.map((t) => t.id).join("\n"));
});

test("slim without initWasm rejects with a GraphApiError that says what to do", async () => {
  // In a fresh process: once any entry has loaded the wasm, every entry in that realm shares it.
  const code = `
    import { ConversationsClient, GraphApiError } from "graph-conversations/slim";
    const c = new ConversationsClient({ accessToken: "t", baseUrl: process.env.GRAPH_BASE_URL });
    try { await c.listConversations("me", { platform: "messenger" }); console.log("resolved"); }
    catch (e) { console.log(e instanceof GraphApiError, e.kind, e.message); }`;
  const r = await run("node", ["--input-type=module", "-e", code], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^true invalid_argument .*initWasm/);
});

test("node webhook snippet: syncs the inbox, then merges signed deliveries into its threads", async () => {
  await sim.reset();
  const api = await import("graph-conversations");
  const c = new api.ConversationsClient({ accessToken: PAGE.token, baseUrl: sim.url, requestsPerSecond: 0 });
  const [thread] = (await c.listConversations(PAGE.id, { platform: "messenger", limit: 1, fields: ["participants"] })).data;
  const user = thread.participants.data.find((p) => p.id !== PAGE.id).id;
  const [newest] = (await c.listMessages(thread.id, { limit: 1, fields: ["created_time", "message"] })).data;

  const secret = "node-app-secret";
  const server = await serve("node", ["snippets/webhook-node.mjs"], {
    env: { ...env, APP_SECRET: secret, VERIFY_TOKEN: "node-verify", PORT: "0" },
    ready: /^listening on port (\d+)$/m,
  });
  try {
    const url = `http://127.0.0.1:${server.match[1]}/webhooks`;
    const hello = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=node-verify&hub.challenge=c-42`);
    assert.equal(hello.status, 200);
    assert.equal(await hello.text(), "c-42");
    assert.equal((await fetch(`${url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status, 403);

    const item = (mid, text, timestamp, sender = user) =>
      ({ sender: { id: sender }, recipient: { id: PAGE.id }, timestamp, message: { mid, text } });
    const delivery = (...items) => JSON.stringify({ object: "page", entry: [{ id: PAGE.id, time: Date.now(), messaging: items }] });
    const postSigned = async (body, key = secret) =>
      fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-hub-signature-256": await sign(key, body) } });

    // A new message in the synced thread, and a copy of its newest synced message.
    const later = 4102444800000; // 2100-01-01: newer than anything the simulator holds
    const first = await postSigned(delivery(item("m_from_webhook", "hello from a webhook", later)));
    assert.equal(first.status, 200, await first.clone().text());
    const copy = await postSigned(delivery(item(newest.id, newest.message ?? "", Date.parse(newest.created_time.replace("+0000", "Z")))));
    assert.equal(copy.status, 200);
    const stranger = await postSigned(delivery(item("m_stranger", "hi", later, "99999999999999999")));
    assert.equal(stranger.status, 200);
    assert.equal((await postSigned(delivery(item("m_forged", "x", later)), "another-secret")).status, 401);

    const lines = server.stdout().trim().split("\n").slice(1);
    assert.deepEqual(lines, [
      `messenger:${PAGE.id}:${user}  ${thread.id}  m_from_webhook: hello from a webhook`,
      `messenger:${PAGE.id}:${user}  ${thread.id}  m_from_webhook: hello from a webhook`,
      `messenger:${PAGE.id}:99999999999999999  (new)  m_stranger: hi`,
    ], "the webhook joined the synced thread (its conversation id), the copy changed nothing, a new user got a thread");
    assert.equal(server.stderr(), "");
  } finally {
    await server.stop();
  }
});
