// Node-only: a response whose paging.next points at another host. The client asks its own
// baseUrl for the next page (cursors.after) and never contacts the other host.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { ConversationsClient } from "graph-conversations";

function serve(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("a paging.next URL on another host is never followed", async () => {
  const foreignHits = [];
  const foreign = await serve((req, res) => { foreignHits.push(req.url); res.end("{}"); });
  const foreignUrl = `http://127.0.0.1:${foreign.address().port}`;
  const seen = [];
  const graph = await serve((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    const after = new URL(req.url, "http://x").searchParams.get("after");
    const n = after ? Number(after.slice(1)) : 0;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({
      data: [{ id: `t_${n}`, updated_time: "2026-01-01T00:00:00+0000" }],
      paging: n < 2
        ? { cursors: { before: "b", after: `c${n + 1}` }, next: `${foreignUrl}/v26.0/me/conversations?access_token=SECRET&after=c${n + 1}` }
        : { cursors: { before: "b", after: "end" } },
    }));
  });
  const client = new ConversationsClient({
    accessToken: "SECRET",
    baseUrl: `http://127.0.0.1:${graph.address().port}`,
    requestsPerSecond: 0,
  });
  const ids = [];
  let firstNext;
  for await (const page of client.conversations("me", { platform: "messenger" }).pages()) {
    firstNext ??= page.paging.next;
    ids.push(...page.data.map((t) => t.id));
  }
  assert.deepEqual(ids, ["t_0", "t_1", "t_2"]);
  assert.equal(foreignHits.length, 0, "the foreign host got no request");
  assert.deepEqual(seen.map((s) => new URL(s.url, "http://x").searchParams.get("after")), [null, "c1", "c2"]);
  assert.ok(seen.every((s) => s.auth === "Bearer SECRET"));
  assert.ok(!firstNext.includes("SECRET"), "the token is stripped from the next URL handed back");
  graph.close();
  foreign.close();
});

test("an empty page that still has next does not end the list; a repeated cursor does", async () => {
  let calls = 0;
  const graph = await serve((req, res) => {
    calls++;
    const after = new URL(req.url, "http://x").searchParams.get("after");
    const body = {
      null: { data: [{ id: "t_1", updated_time: "2026-01-01T00:00:00+0000" }], paging: { cursors: { after: "A" }, next: "n" } },
      A: { data: [], paging: { cursors: { after: "B" }, next: "n" } },
      B: { data: [{ id: "t_2", updated_time: "2026-01-01T00:00:00+0000" }], paging: { cursors: { after: "A" }, next: "n" } },
    }[String(after)];
    res.end(JSON.stringify(body));
  });
  const client = new ConversationsClient({ accessToken: "T", baseUrl: `http://127.0.0.1:${graph.address().port}`, requestsPerSecond: 0 });
  const ids = (await client.conversations("me", { platform: "instagram" }).toArray({ limit: 100 })).map((t) => t.id);
  assert.deepEqual(ids, ["t_1", "t_2"]);
  assert.equal(calls, 3, "stopped when cursor A came back");
  graph.close();
});
