// Cloudflare workerd through Miniflare 3, each Worker bundled the way wrangler does it: esbuild
// with the conditions ["workerd", "worker", "browser"] and the .wasm kept as its own module that
// workerd hands over as a compiled WebAssembly.Module.
// 1. The README's Worker (snippets/worker.js);
// 2. the README's webhook Worker (snippets/webhook-worker.js), storing into a KV namespace;
// 3. the shared client and webhook suites (tests/js/client.suite.mjs, webhooks.suite.mjs) inside a
//    Worker, one test per case.
// 1 and 3 run behind workerd/guard.js, which refuses to compile wasm from bytes, as production does.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { importTool, listedThreads, sim, PAGE, app } from "./lib.mjs";
import { fixtures } from "./webhook-fixtures.mjs";
import { sign } from "./webhooks.suite.mjs";
import { cases as clientCases } from "./client.suite.mjs";
import { cases as webhookCases } from "./webhooks.suite.mjs";
import { bundle, modulesRules } from "./workerd/bundle.mjs";

const cases = { ...clientCases, ...webhookCases };
const out = join(app, ".workerd-build");
const suiteOut = join(app, ".workerd-suite-build");
const webhookOut = join(app, ".workerd-webhook-build");
let mf;
let metafile;
let suite;
const { Miniflare } = await importTool("miniflare");

function options(scriptPath, bindings) {
  return {
    modules: true,
    scriptPath,
    modulesRules,
    compatibilityDate: "2025-07-01",
    bindings: { PAGE_ID: PAGE.id, GRAPH_BASE_URL: sim.url, ...bindings },
  };
}

before(async () => {
  metafile = await bundle(join(app, "snippets/worker.js"), out);
  cpSync(join(app, "workerd/guard.js"), join(out, "guard.js"));
  cpSync(join(app, "workerd/main.js"), join(out, "main.js"));
  mf = new Miniflare(options(join(out, "main.js"), { PAGE_TOKEN: PAGE.token }));
  await mf.ready;
});
after(() => mf?.dispose());

test("the bundle took the package's workerd entry and kept the .wasm as a module", () => {
  const inputs = Object.keys(metafile.inputs);
  const pkgFiles = inputs.filter((p) => p.includes("node_modules/graph-conversations/"));
  assert.ok(pkgFiles.some((p) => p.endsWith("graph-conversations/entry/workerd.js")), `entry/workerd.js bundled: ${pkgFiles}`);
  for (const other of ["entry/node.js", "entry/browser.js", "entry/slim.js"]) {
    assert.ok(!pkgFiles.some((p) => p.endsWith(other)), `${other} not bundled`);
  }
  const files = readdirSync(out);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm module next to the bundle: ${files}`);
  const bundle = readFileSync(join(out, "worker.js"), "utf8");
  assert.match(bundle, new RegExp(`import \\w+ from "\\./${wasm[0].replace(".", "\\.")}"`), "the bundle imports the .wasm");
  assert.ok(statSync(join(out, "worker.js")).size < 100_000, "the wasm is not inlined into the JS");
  assert.ok(!bundle.includes("readFileSync"), "no Node file reading in the Worker");
});

test("the Worker lists the threads, the same ones Node sees, across every page", async () => {
  await sim.reset();
  const res = await mf.dispatchFetch("http://worker.local/");
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  assert.equal(body.threads.length, 10);
  for (const t of body.threads) {
    assert.match(t.id, /^t_/);
    assert.match(t.updated_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    assert.ok(t.participants.data.length >= 2, "participants");
  }
  const { ConversationsClient } = await import("graph-conversations");
  const node = new ConversationsClient({ accessToken: PAGE.token, baseUrl: sim.url, requestsPerSecond: 0 });
  const nodePage = await node.listConversations(PAGE.id, {
    platform: "messenger", limit: 10, fields: ["participants", "snippet", "updated_time", "unread_count"],
  });
  assert.deepEqual(body.threads, nodePage.data, "workerd and Node decode the same page the same way");

  const ids = body.threads.map((t) => t.id);
  let next = body.next;
  let pages = 1;
  while (next) {
    const page = await (await mf.dispatchFetch(`http://worker.local/?after=${encodeURIComponent(next)}`)).json();
    assert.ok(Array.isArray(page.threads), JSON.stringify(page));
    ids.push(...page.threads.map((t) => t.id));
    next = page.next;
    pages++;
  }
  assert.ok(pages > 3, `several pages (${pages})`);
  assert.equal(new Set(ids).size, ids.length, "no thread twice");
  assert.equal(ids.length, await listedThreads(PAGE.id, "messenger"), "every listed thread");
});

test("the wasm was instantiated from the imported Module, never compiled from bytes", async () => {
  const guard = await (await mf.dispatchFetch("http://worker.local/__guard")).json();
  assert.deepEqual(guard.violations, []);
  assert.equal(guard.instancesFromModule, 1, "one instance, from a WebAssembly.Module");
});

test("a Graph error reaches the Worker as a GraphApiError with its kind", async () => {
  await mf.setOptions(options(join(out, "main.js"), { PAGE_TOKEN: "revoked-token" }));
  const res = await mf.dispatchFetch("http://worker.local/");
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body)); // Graph answers an invalid token (code 190) with HTTP 400
  assert.equal(body.error, "auth");
  assert.ok(!body.message.includes("revoked-token"), "the token is not in the message");
});

describe("the README's webhook Worker", () => {
  let hooks;
  const secret = "worker-app-secret";
  before(async () => {
    await bundle(join(app, "snippets/webhook-worker.js"), webhookOut);
    hooks = new Miniflare({ ...options(join(webhookOut, "webhook-worker.js"), { APP_SECRET: secret, VERIFY_TOKEN: "worker-verify" }), kvNamespaces: ["EVENTS"] });
    await hooks.ready;
  });
  after(() => hooks?.dispose());
  const stored = async () => (await (await hooks.getKVNamespace("EVENTS")).list()).keys.map((k) => k.name);

  test("answers the subscription handshake", async () => {
    const ok = await hooks.dispatchFetch("http://hooks.local/?hub.mode=subscribe&hub.verify_token=worker-verify&hub.challenge=424242");
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "424242");
    const refused = await hooks.dispatchFetch("http://hooks.local/?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");
    assert.equal(refused.status, 403);
  });

  test("stores every event of a signed delivery before answering 200; refuses a bad signature", async () => {
    const body = fixtures.messenger_messages;
    const forged = await hooks.dispatchFetch("http://hooks.local/", { method: "POST", body, headers: { "x-hub-signature-256": await sign("other", body) } });
    assert.equal(forged.status, 401);
    assert.deepEqual(await stored(), [], "nothing stored from a forged delivery");
    const res = await hooks.dispatchFetch("http://hooks.local/", { method: "POST", body, headers: { "x-hub-signature-256": await sign(secret, body) } });
    assert.equal(res.status, 200, await res.clone().text());
    const keys = await stored();
    assert.equal(keys.length, 9, `one key per event: ${keys}`);
    assert.ok(keys.every((k) => k.startsWith("messenger:104335678901234567:7234567890123456789:")), keys.join("\n"));
    const event = await (await hooks.getKVNamespace("EVENTS")).get("messenger:104335678901234567:7234567890123456789:1767225600123:message", "json");
    assert.equal(event.message.id, "m_text");
    assert.equal(event.message.message, "hello, world!");
  });
});

describe("the shared client and webhook suites in workerd", () => {
  before(async () => {
    await bundle(join(app, "workerd/suite.js"), suiteOut);
    suite = new Miniflare(options(join(suiteOut, "suite.js")));
    await suite.ready;
  });
  after(() => suite?.dispose());

  test("the Worker bundles the same suite as this runner", async () => {
    const names = await (await suite.dispatchFetch("http://suite.local/")).json();
    assert.deepEqual(names, Object.keys(cases));
  });

  for (const name of Object.keys(cases)) {
    test(name, async () => {
      const res = await suite.dispatchFetch(`http://suite.local/?case=${encodeURIComponent(name)}`);
      const r = await res.json();
      assert.ok(r.ok, `failed in workerd:\n${r.error}`);
      assert.deepEqual(r.guard.violations, [], "the wasm was never compiled from bytes");
    });
  }
});
