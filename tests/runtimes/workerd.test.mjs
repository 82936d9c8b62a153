// The README's Worker (snippets/worker.js) in workerd through Miniflare 3, bundled the way
// wrangler does it: esbuild with the conditions ["workerd", "worker", "browser"] and the .wasm
// kept as its own module that workerd hands over as a compiled WebAssembly.Module.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { importTool, listedThreads, sim, PAGE, app } from "./lib.mjs";

const out = join(app, ".workerd-build");
const modulesRules = [
  { type: "ESModule", include: ["**/*.js"] },
  { type: "CompiledWasm", include: ["**/*.wasm"] },
];
let mf;
let metafile;

async function options(bindings) {
  return {
    modules: true,
    scriptPath: join(out, "main.js"),
    modulesRules,
    compatibilityDate: "2025-07-01",
    bindings: { PAGE_ID: PAGE.id, GRAPH_BASE_URL: sim.url, ...bindings },
  };
}

before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const esbuild = await importTool("esbuild");
  const result = await esbuild.build({
    entryPoints: [join(app, "snippets/worker.js")],
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    loader: { ".wasm": "copy" },
    metafile: true,
    logLevel: "silent",
  });
  metafile = result.metafile;
  cpSync(join(app, "workerd/guard.js"), join(out, "guard.js"));
  cpSync(join(app, "workerd/main.js"), join(out, "main.js"));
  const { Miniflare } = await importTool("miniflare");
  mf = new Miniflare(await options({ PAGE_TOKEN: PAGE.token }));
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
  await mf.setOptions(await options({ PAGE_TOKEN: "revoked-token" }));
  const res = await mf.dispatchFetch("http://worker.local/");
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body)); // Graph answers an invalid token (code 190) with HTTP 400
  assert.equal(body.error, "auth");
  assert.ok(!body.message.includes("revoked-token"), "the token is not in the message");
});
