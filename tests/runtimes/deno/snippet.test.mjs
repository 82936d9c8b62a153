// The README's Deno snippet, run with exactly the flags the README gives (the simulator's
// host:port in place of graph.facebook.com), and type-checked with `deno check`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, sim, PAGE } from "../lib.mjs";

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
