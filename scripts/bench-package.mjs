// Package size and cold start (run by `make bench` through scripts/bench.sh; needs pkg/ and the
// release graph-sim). Writes the section "## Package size and cold start" of BENCHMARKS.md.
//
// - Size: the packed package's .wasm and JS, raw and gzip -9, and its install size, next to the
//   Meta JS SDK (facebook-nodejs-business-sdk) installed from npm into target/bench-package/.
// - Cold start in Node: a fresh `node` process per run (import, instantiate, first call to
//   graph-sim), next to a trivial `node -e ""` and a process that makes the same call with
//   plain fetch, all measured in the same run.
// - Cold start in workerd: a fresh Miniflare instance per run (start, first request, whose
//   Worker calls graph-sim), next to the same Worker written with plain fetch.
// Medians of RUNS runs (default 15; BENCH_RUNS overrides). Runs interleave the variants so load
// from other jobs on the machine hits them alike.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { BUDGET, measure, totals } from "../tests/runtimes/size.mjs";
import { median, writeSection } from "./bench_common.mjs";
import { PAGE } from "../tests/js/client.suite.mjs";
import { root, startSim, tool } from "../tests/js/launch.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const work = join(root, "target/bench-package");
const app = join(work, "app");
const META = "facebook-nodejs-business-sdk";
const FIELDS = "participants,snippet,updated_time,unread_count";

const HEADING = "## Package size and cold start";
const log = (...a) => console.log("[bench-package]", ...a);
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts }).trim();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const fmtMs = (n) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

function walkSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const s = walkSize(p);
      bytes += s.bytes;
      files += s.files;
    } else if (e.isFile()) {
      bytes += statSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}
const diskBytes = (dir) => Number(sh("du", ["-sk", dir]).split("\t")[0]) * 1024;
const packagesIn = (nodeModules) =>
  readdirSync(nodeModules).filter((n) => !n.startsWith(".")).flatMap((n) => (n.startsWith("@") ? readdirSync(join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]));

// ---- the package, packed and installed by name ------------------------------------------------
function installOurs() {
  rmSync(work + "/pack", { recursive: true, force: true });
  mkdirSync(work + "/pack", { recursive: true });
  sh("npm", ["pack", "--silent", "--pack-destination", join(work, "pack")], { cwd: join(root, "pkg") });
  const tarball = readdirSync(join(work, "pack")).find((f) => f.endsWith(".tgz"));
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ private: true, type: "module", dependencies: { "graph-conversations": `file:../pack/${tarball}` } }));
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: app });
  return { tarball: join(work, "pack", tarball) };
}

// ---- the Meta SDK, from the registry, cached by version ------------------------------------------
function installMeta() {
  const view = JSON.parse(sh("npm", ["view", META, "version", "dist.unpackedSize", "--json"]));
  const version = typeof view === "string" ? view : view.version;
  const dir = join(work, `meta-sdk-${version}`);
  const installed = join(dir, "node_modules", META, "package.json");
  if (!existsSync(installed)) {
    log(`installing ${META}@${version} from npm`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true }));
    sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--omit=dev", "--ignore-scripts", `${META}@${version}`], { cwd: dir });
  }
  let unpacked = typeof view === "object" ? view["dist.unpackedSize"] : undefined;
  let unpackedSource = "npm view dist.unpackedSize";
  let tarballBytes;
  const pack = JSON.parse(sh("npm", ["pack", "--dry-run", "--json", `${META}@${version}`], { cwd: dir }))[0];
  tarballBytes = pack.size;
  if (unpacked === undefined) {
    unpacked = pack.unpackedSize;
    unpackedSource = "npm pack --dry-run (this registry does not return dist.unpackedSize)";
  }
  const nm = join(dir, "node_modules");
  return { version, dir, unpacked, unpackedSource, tarballBytes, modules: walkSize(nm), disk: diskBytes(nm), packages: packagesIn(nm), own: walkSize(join(nm, META)) };
}

// ---- cold start in Node ------------------------------------------------------------------------------
const NODE_PKG = `
const t0 = performance.now();
const { ConversationsClient, initWasm } = await import("graph-conversations");
const t1 = performance.now();
await initWasm();
const t2 = performance.now();
const client = new ConversationsClient({ accessToken: process.env.TOKEN, baseUrl: process.env.SIM, requestsPerSecond: 0 });
const page = await client.listConversations(process.env.PAGE, { platform: "messenger", limit: 10, fields: ${JSON.stringify(FIELDS.split(","))} });
const t3 = performance.now();
if (page.data.length !== 10) throw new Error("unexpected page");
console.log(JSON.stringify({ import: t1 - t0, instantiate: t2 - t1, firstCall: t3 - t2 }));
`;
const NODE_FETCH = `
const res = await fetch(process.env.SIM + "/v26.0/" + process.env.PAGE + "/conversations?platform=messenger&limit=10&fields=${FIELDS}",
  { headers: { authorization: "Bearer " + process.env.TOKEN } });
const page = await res.json();
if (page.data.length !== 10) throw new Error("unexpected page");
`;
const NODE_META_IMPORT = `require(${JSON.stringify(META)});`;

function timeProcess(args, cwd, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ").slice(0, 80)}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function benchNode(sim, meta) {
  const env = { SIM: sim.url, TOKEN: PAGE.token, PAGE: PAGE.id };
  const runs = { trivial: [], fetch: [], pkg: [], metaImport: [], pkgImport: [], import: [], instantiate: [], firstCall: [] };
  for (let i = 0; i < RUNS + 1; i++) {
    const trivial = timeProcess(["-e", ""], app, env);
    const fetchOnly = timeProcess(["--input-type=module", "-e", NODE_FETCH], app, env);
    const pkg = timeProcess(["--input-type=module", "-e", NODE_PKG], app, env);
    const pkgImport = timeProcess(["--input-type=module", "-e", 'await import("graph-conversations")'], app, env);
    const metaImport = timeProcess(["-e", NODE_META_IMPORT], meta.dir, env);
    if (i === 0) continue; // warm the page cache once; not counted
    runs.trivial.push(trivial.ms);
    runs.fetch.push(fetchOnly.ms);
    runs.pkg.push(pkg.ms);
    runs.pkgImport.push(pkgImport.ms);
    runs.metaImport.push(metaImport.ms);
    const inner = JSON.parse(pkg.stdout);
    for (const k of ["import", "instantiate", "firstCall"]) runs[k].push(inner[k]);
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
}

// ---- cold start in workerd (Miniflare 3) ---------------------------------------------------------------
const FETCH_WORKER = `
export default {
  async fetch(request, env) {
    const url = env.GRAPH_BASE_URL + "/v26.0/" + env.PAGE_ID + "/conversations?platform=messenger&limit=10&fields=${FIELDS}";
    const res = await fetch(url, { headers: { authorization: "Bearer " + env.PAGE_TOKEN } });
    const page = await res.json();
    return Response.json({ threads: page.data, next: page.paging?.next ? page.paging.cursors.after : null });
  },
};
`;

async function buildWorkers() {
  const esbuild = await import(tool.resolve("esbuild"));
  const dir = join(work, "workers");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "pkg"), { recursive: true });
  mkdirSync(join(dir, "fetch"), { recursive: true });
  cpSync(join(root, "tests/runtimes/snippets/worker.js"), join(app, "worker.js"));
  await esbuild.build({
    entryPoints: [join(app, "worker.js")], outdir: join(dir, "pkg"), bundle: true, format: "esm", platform: "neutral",
    target: "es2022", conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], loader: { ".wasm": "copy" }, logLevel: "silent",
  });
  writeFileSync(join(dir, "fetch", "worker.js"), FETCH_WORKER);
  return { pkg: join(dir, "pkg", "worker.js"), fetch: join(dir, "fetch", "worker.js") };
}

async function benchWorkerd(sim, scripts) {
  const { Miniflare } = tool("miniflare");
  const once = async (scriptPath) => {
    const t0 = performance.now();
    const mf = new Miniflare({
      modules: true, scriptPath, compatibilityDate: "2025-07-01",
      modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
      bindings: { PAGE_TOKEN: PAGE.token, PAGE_ID: PAGE.id, GRAPH_BASE_URL: sim.url },
    });
    await mf.ready;
    const t1 = performance.now();
    const res = await mf.dispatchFetch("http://worker.local/");
    const body = await res.json();
    const t2 = performance.now();
    await mf.dispose();
    if (body.threads?.length !== 10) throw new Error(`worker answered ${JSON.stringify(body).slice(0, 200)}`);
    return { total: t2 - t0, ready: t1 - t0, firstRequest: t2 - t1 };
  };
  const runs = { pkg: [], fetch: [] };
  for (let i = 0; i < RUNS + 1; i++) {
    const f = await once(scripts.fetch);
    const p = await once(scripts.pkg);
    if (i === 0) continue;
    runs.fetch.push(f);
    runs.pkg.push(p);
  }
  const med = (xs) => ({ total: median(xs.map((x) => x.total)), ready: median(xs.map((x) => x.ready)), firstRequest: median(xs.map((x) => x.firstRequest)) });
  return { pkg: med(runs.pkg), fetch: med(runs.fetch) };
}

// ---- report -------------------------------------------------------------------------------------------------
function section({ ours, meta, node, workerd, started }) {
  const t = ours.totals;
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const workerdVersion = JSON.parse(readFileSync(tool.resolve("workerd/package.json"), "utf8")).version;
  const miniflareVersion = JSON.parse(readFileSync(tool.resolve("miniflare/package.json"), "utf8")).version;
  const load = os.loadavg().map((l) => l.toFixed(1)).join(", ");
  const r = (a, b) => (a / b).toFixed(2);
  return `${HEADING}

How much \`graph-conversations\` adds to an install, a bundle or a Worker, and how long the first
call takes in a fresh process, measured next to the Meta JS SDK (\`${META}\`) and next to the same
call made with plain \`fetch\` in the same run, so the numbers read as ratios.

Command: \`make bench\` (this section: \`node scripts/bench-package.mjs\`; \`BENCH_RUNS=N\` changes the
${RUNS} runs per variant). Measured ${started.toISOString().slice(0, 10)} on ${cpu}, ${os.cpus().length} cores,
Node ${process.version}, workerd ${workerdVersion} (Miniflare ${miniflareVersion}), load average ${load} at the end
(other jobs share the machine, so absolute times move between runs; the ratios move less).
Cold-start figures are medians of ${RUNS} runs after one unmeasured warm-up run.

### Size

| what | raw | gzip -9 |
|---|---:|---:|
| \`.wasm\` | ${t.wasm.raw.toLocaleString("en-US")} B | ${t.wasm.gzip.toLocaleString("en-US")} B |
| JS (every \`.js\` in the package: glue, core, entries) | ${t.js.raw.toLocaleString("en-US")} B | ${t.js.gzip.toLocaleString("en-US")} B |
| **shipped code, total** (budget ${BUDGET.toLocaleString("en-US")} B gzip, checked by \`make test-runtimes\`) | ${t.all.raw.toLocaleString("en-US")} B | **${t.all.gzip.toLocaleString("en-US")} B** (${kb(t.all.gzip)}) |
| npm tarball | ${ours.tarballBytes.toLocaleString("en-US")} B | |

| install | packages | files | bytes (sum of file sizes) | on disk (\`du\`) |
|---|---:|---:|---:|---:|
| \`graph-conversations\` (this package) | ${ours.packages} | ${ours.modules.files} | ${ours.modules.bytes.toLocaleString("en-US")} (${kb(ours.modules.bytes)}) | ${kb(ours.disk)} |
| \`${META}@${meta.version}\` with its dependencies (\`npm install --omit=dev\`) | ${meta.packages.length} | ${meta.modules.files} | ${meta.modules.bytes.toLocaleString("en-US")} (${mb(meta.modules.bytes)}) | ${mb(meta.disk)} |
| of which \`${META}\` itself | 1 | ${meta.own.files} | ${meta.own.bytes.toLocaleString("en-US")} (${mb(meta.own.bytes)}) | |

The Meta SDK's unpacked size is ${meta.unpacked.toLocaleString("en-US")} B (${mb(meta.unpacked)}; from ${meta.unpackedSource}),
its tarball ${meta.tarballBytes.toLocaleString("en-US")} B; its dependencies: ${meta.packages.filter((p) => p !== META).join(", ")}.
Installed, the Meta SDK takes **${Math.round(meta.modules.bytes / ours.modules.bytes)}×** the bytes of this package. The SDK ships
CommonJS only (\`main: dist/cjs.js\`, HTTP through axios) and targets Node, so only its Node import
time is compared below.

### Cold start in Node (fresh \`node\` process per run)

| process | median wall time | vs \`node -e ""\` |
|---|---:|---:|
| \`node -e ""\` (baseline: the runtime alone) | ${fmtMs(node.trivial)} | 1.00 |
| the same Graph call with plain \`fetch\` (no package) | ${fmtMs(node.fetch)} | ${r(node.fetch, node.trivial)} |
| **import \`graph-conversations\`, instantiate, first call** | **${fmtMs(node.pkg)}** | **${r(node.pkg, node.trivial)}** |
| import \`graph-conversations\` only | ${fmtMs(node.pkgImport)} | ${r(node.pkgImport, node.trivial)} |
| \`require("${META}")\` only (no call) | ${fmtMs(node.metaImport)} | ${r(node.metaImport, node.trivial)} |

Inside the package's process (medians): import ${fmtMs(node.import)}, \`initWasm()\` (read and
instantiate the .wasm) ${fmtMs(node.instantiate)}, constructor and first call ${fmtMs(node.firstCall)}.
The package's whole cold start costs ${fmtMs(node.pkg - node.fetch)} more than the plain \`fetch\` process
(${r(node.pkg, node.fetch)}×).

### Cold start in workerd (fresh Miniflare instance per run)

The Worker is the README's (\`tests/runtimes/snippets/worker.js\`, bundled with esbuild the way wrangler
does, .wasm as a CompiledWasm module); the baseline Worker makes the same Graph call with \`fetch\`.

| Worker | start (\`new Miniflare\` → ready) | first request (incl. the Graph call) | total | total vs fetch Worker |
|---|---:|---:|---:|---:|
| plain \`fetch\` (baseline) | ${fmtMs(workerd.fetch.ready)} | ${fmtMs(workerd.fetch.firstRequest)} | ${fmtMs(workerd.fetch.total)} | 1.00 |
| **graph-conversations** | ${fmtMs(workerd.pkg.ready)} | ${fmtMs(workerd.pkg.firstRequest)} | **${fmtMs(workerd.pkg.total)}** | **${r(workerd.pkg.total, workerd.fetch.total)}** |

The first request of the package's Worker is ${fmtMs(workerd.pkg.firstRequest - workerd.fetch.firstRequest)} slower than the fetch
Worker's (${r(workerd.pkg.firstRequest, workerd.fetch.firstRequest)}×): the wasm is instantiated on the first call, not at startup, and the
response is decoded in wasm. Startup differs by ${fmtMs(workerd.pkg.ready - workerd.fetch.ready)}: workerd compiles the imported .wasm module (and parses
more JS) when it loads the Worker.
`;
}

const started = new Date();
mkdirSync(work, { recursive: true });
log("packing and installing pkg/");
const { tarball } = installOurs();
const installed = join(app, "node_modules/graph-conversations");
const ours = {
  totals: totals(measure(installed)),
  tarballBytes: statSync(tarball).size,
  modules: walkSize(join(app, "node_modules")),
  disk: diskBytes(join(app, "node_modules")),
  packages: packagesIn(join(app, "node_modules")).length,
};
const meta = installMeta();
const sim = await startSim(["--rate", "0", "--seed", "7"]);
try {
  log(`cold start in Node, ${RUNS} runs`);
  const node = benchNode(sim, meta);
  log(`cold start in workerd, ${RUNS} runs`);
  const workerd = await benchWorkerd(sim, await buildWorkers());
  const text = section({ ours, meta, node, workerd, started });
  writeSection(HEADING, text.slice(HEADING.length));
  console.log(text);
  log("BENCHMARKS.md updated");
} finally {
  sim.stop();
}
