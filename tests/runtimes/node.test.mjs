// The README's Node and slim snippets, each run as its own `node` process against graph-sim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { listedThreads, run, sim, PAGE } from "./lib.mjs";

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
