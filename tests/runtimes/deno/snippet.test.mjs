// The README's Deno snippets, run with exactly the flags the README gives (the simulator's
// host:port in place of graph.facebook.com; any port of 0.0.0.0 for the webhook server, which
// listens on a free one), and type-checked with `deno check`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, serve, sim, PAGE } from "../lib.mjs";
import { fixtures } from "../webhook-fixtures.mjs";
import { sign } from "../webhooks.suite.mjs";

const hostport = new URL(sim.url).host;
const flags = [`--allow-net=${hostport}`, "--allow-read=node_modules/graph-conversations/wasm", "--allow-env=PAGE_TOKEN,GRAPH_BASE_URL"];
const env = { PAGE_TOKEN: PAGE.token, GRAPH_BASE_URL: sim.url };

test("deno check accepts the snippet", async () => {
  const r = await run("deno", ["check", "--quiet", "snippets/deno.ts"]);
  assert.equal(r.code, 0, r.stderr);
});

test("the snippet prints the newest messages of the thread with one user", async () => {
  await sim.reset();
  const api = await import("graph-conversations");
  const c = new api.ConversationsClient({ accessToken: PAGE.token, baseUrl: sim.url, requestsPerSecond: 0 });
  const [thread] = (await c.listConversations(PAGE.id, { platform: "messenger", limit: 1, fields: ["participants"] })).data;
  const user = thread.participants.data.find((p) => p.id !== PAGE.id);
  const newest = await c.listMessages(thread.id, { limit: 5, fields: ["created_time", "from", "message"] });

  const r = await run("deno", ["run", ...flags, "snippets/deno.ts", PAGE.id, user.id], { env });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, newest.data.length, r.stdout);
  newest.data.forEach((m, i) => assert.ok(lines[i].startsWith(`${m.created_time}  ${m.from.name}: `), lines[i]));

  const stranger = await run("deno", ["run", ...flags, "snippets/deno.ts", PAGE.id, "99999999999999999"], { env });
  assert.equal(stranger.code, 0, stranger.stderr);
  assert.equal(stranger.stdout.trim(), "no conversation with 99999999999999999");
});

test("the snippet reports a Graph error by kind, and fewer flags are refused", async () => {
  const bad = await run("deno", ["run", ...flags, "snippets/deno.ts", PAGE.id, "1"], { env: { ...env, PAGE_TOKEN: "expired" } });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^Graph API error \(auth\): /);
  // The flags are needed: without read access to the package's wasm folder, Deno refuses.
  const noRead = await run("deno", ["run", flags[0], flags[2], "snippets/deno.ts", PAGE.id, "1"], { env });
  assert.notEqual(noRead.code, 0);
  assert.match(noRead.stderr, /Requires read access to ".*graph-conversations\/wasm\/graph_conversations_bg\.wasm"/);
});

test("deno check accepts the webhook snippet", async () => {
  const r = await run("deno", ["check", "--quiet", "snippets/webhook-deno.ts"]);
  assert.equal(r.code, 0, r.stderr);
});

test("the webhook snippet: handshake, a signed delivery printed event by event, 401 unsigned", async () => {
  const flags = ["--allow-net=0.0.0.0", "--allow-read=node_modules/graph-conversations/wasm", "--allow-env=APP_SECRET,VERIFY_TOKEN,PORT"];
  const env = { APP_SECRET: "deno-app-secret", VERIFY_TOKEN: "deno-verify", PORT: "0" };
  const server = await serve("deno", ["run", ...flags, "snippets/webhook-deno.ts"], { env, ready: /Listening on https?:\/\/[^:\s]+:(\d+)/ });
  try {
    const url = `http://127.0.0.1:${server.match[1]}/webhooks`;
    const hello = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=deno-verify&hub.challenge=8675309`);
    assert.equal(hello.status, 200);
    assert.equal(await hello.text(), "8675309");
    assert.equal((await fetch(`${url}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status, 403);

    const body = fixtures.instagram_messages;
    const unsigned = await fetch(url, { method: "POST", body });
    assert.equal(unsigned.status, 401);
    const posted = await fetch(url, { method: "POST", body, headers: { "x-hub-signature-256": await sign(env.APP_SECRET, body) } });
    assert.equal(posted.status, 200, await posted.clone().text());
    assert.equal(await posted.text(), "EVENT_RECEIVED");
    const lines = server.stdout().trim().split("\n");
    assert.equal(lines.length, 18, `one line per event, printed before the 200:\n${server.stdout()}`);
    assert.equal(lines[0], "2026-01-01T00:01:40.123Z  instagram  1234567890123456789  message  café 😀");
    assert.match(lines[7], /  unsend  $/);
    assert.equal(server.stderr().includes("error"), false, server.stderr());
  } finally {
    await server.stop();
  }
});
