// Size budget of what the package ships to a runtime: the .wasm plus every .js file of the
// installed package, each compressed on its own with `gzip -9`, at most 140 KB (143,360 bytes).
// The budget was 120 KB until webhooks (verify, parse, the merged Inbox) joined the package and
// cost 25 KB of wasm and 2 KB of JS gzip, then 150 KB until core's float parser left the wasm;
// ARCHITECTURE.md ("The size budget") has the breakdown.
// Prints the breakdown; exits 1 above the budget. Also usable as a module (bench-package.mjs).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const BUDGET = 140 * 1024;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export const gzip9 = (path) => execFileSync("gzip", ["-9", "-c", "-n"], { input: readFileSync(path), maxBuffer: 1 << 26 }).length;

/** Per shipped file: { file, kind: "wasm" | "js", raw, gzip }. */
export function measure(pkgDir) {
  return walk(pkgDir)
    .filter((p) => p.endsWith(".wasm") || p.endsWith(".js"))
    .map((p) => ({ file: relative(pkgDir, p), kind: p.endsWith(".wasm") ? "wasm" : "js", raw: statSync(p).size, gzip: gzip9(p) }))
    .sort((a, b) => b.gzip - a.gzip);
}

export function totals(rows) {
  const sum = (kind) => rows.filter((r) => !kind || r.kind === kind).reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  return { wasm: sum("wasm"), js: sum("js"), all: sum() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pkgDir = process.argv[2] ?? join(process.cwd(), "node_modules/graph-conversations");
  const rows = measure(pkgDir);
  const t = totals(rows);
  const fmt = (n) => n.toLocaleString("en-US").padStart(9);
  console.log(`${"file".padEnd(64)} ${"raw".padStart(9)} ${"gzip -9".padStart(9)}`);
  for (const r of rows) console.log(`${r.file.padEnd(64)} ${fmt(r.raw)} ${fmt(r.gzip)}`);
  console.log(`${"wasm".padEnd(64)} ${fmt(t.wasm.raw)} ${fmt(t.wasm.gzip)}`);
  console.log(`${"js (every .js file)".padEnd(64)} ${fmt(t.js.raw)} ${fmt(t.js.gzip)}`);
  console.log(`${"total".padEnd(64)} ${fmt(t.all.raw)} ${fmt(t.all.gzip)}   budget ${BUDGET.toLocaleString("en-US")}`);
  if (!rows.some((r) => r.kind === "wasm")) {
    console.error("no .wasm found in the package");
    process.exit(1);
  }
  if (t.all.gzip > BUDGET) {
    console.error(`over budget: ${t.all.gzip} > ${BUDGET} bytes gzip`);
    process.exit(1);
  }
}
