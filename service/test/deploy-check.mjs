// Checks what `wrangler deploy --dry-run --outdir OUT` made of the service (run by
// scripts/test-service-deploy.sh; not a *.test.mjs, so scripts/test-service.sh leaves it alone):
//   node deploy-check.mjs OUT WRANGLER_OUTPUT WRANGLER_TOML PACKAGE_DIR
// OUT: the bundle; WRANGLER_OUTPUT: wrangler's stdout and stderr; WRANGLER_TOML: the config it
// read; PACKAGE_DIR: the installed graph-conversations. Exits 1 with every failed check listed.
//   - the bundle is index.js plus the package's .wasm as a module of its own, byte for byte the
//     package's, imported by index.js and handed to initSync: the package's workerd entry (the
//     node and browser entries read or fetch the file instead, which a Worker cannot);
//   - the .wasm is not inlined (no base64 wasm in index.js, index.js smaller than the .wasm);
//   - wrangler printed the bindings the code uses: ACCOUNTS and DIRECTORY (Durable Objects),
//     JOBS (queue), and every [vars] entry of wrangler.toml; and no warning.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [outDir, outputFile, tomlFile, packageDir] = process.argv.slice(2);
if (!packageDir) {
  console.error("usage: node deploy-check.mjs OUT WRANGLER_OUTPUT WRANGLER_TOML PACKAGE_DIR");
  process.exit(2);
}

const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
  return ok;
};

// ---- the bundle ----

if (!existsSync(outDir)) {
  console.error(`deploy check: wrangler wrote no ${outDir}`);
  process.exit(1);
}
const files = readdirSync(outDir).filter((f) => statSync(join(outDir, f)).isFile());
const wasmFiles = files.filter((f) => f.endsWith(".wasm"));
const main = join(outDir, "index.js");
check(files.includes("index.js"), `no index.js in ${outDir} (files: ${files.join(", ")})`);
check(wasmFiles.length === 1, `expected one .wasm module in ${outDir}, found ${wasmFiles.length}: ${wasmFiles.join(", ")}`);
const code = files.includes("index.js") ? readFileSync(main, "utf8") : "";
const wasmName = wasmFiles[0];
const packageWasm = readFileSync(join(packageDir, "wasm/graph_conversations_bg.wasm"));

if (wasmName) {
  const wasm = readFileSync(join(outDir, wasmName));
  check(wasm.subarray(0, 4).equals(Buffer.from("\0asm")), `${wasmName} is not WebAssembly`);
  check(wasm.equals(packageWasm), `${wasmName} differs from the package's wasm/graph_conversations_bg.wasm`);
  // The wasm is imported as a module, and that import is what initSync gets (the workerd entry).
  const escaped = wasmName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const imported = new RegExp(`^import (\\w+) from "\\./${escaped}";$`, "m").exec(code);
  if (check(imported, `index.js does not import ./${wasmName} as a module`)) {
    check(
      new RegExp(`initSync\\(\\{\\s*module:\\s*${imported[1]}\\s*\\}\\)`).test(code),
      `index.js does not hand the imported ${wasmName} to initSync (the package's workerd entry)`,
    );
  }
}
// Not inlined: no wasm in base64 ("\0asm" is "AGFzbQ"), and the script is smaller than the wasm.
check(!code.includes("AGFzbQ"), "index.js contains base64 WebAssembly: the .wasm was inlined");
check(code.length < packageWasm.length, `index.js (${code.length} B) is not smaller than the .wasm (${packageWasm.length} B): inlined?`);

// Which entry of the package was bundled: the source map names it.
const mapFile = join(outDir, "index.js.map");
if (check(files.includes("index.js.map"), "no index.js.map in the bundle")) {
  const sources = JSON.parse(readFileSync(mapFile, "utf8")).sources ?? [];
  const entries = sources.filter((s) => /graph-conversations\/entry\//.test(s)).map((s) => s.replace(/.*\/entry\//, ""));
  check(entries.length === 1 && entries[0] === "workerd.js", `bundled package entries: [${entries.join(", ")}], expected [workerd.js]`);
  for (const src of ["account.js", "directory.js", "http.js", "index.js", "seal.js", "store.js"]) {
    check(sources.some((s) => s.endsWith(`src/${src}`)), `src/${src} is not in the bundle`);
  }
}

// ---- what wrangler printed ----

const output = readFileSync(outputFile, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
/** `env.NAME (detail)   Resource` rows of wrangler's bindings table. */
const bindings = new Map();
for (const m of output.matchAll(/^env\.(\w+)(?: \((.*?)\))?\s{2,}(\S.*?)\s*$/gm)) bindings.set(m[1], { detail: m[2] ?? "", resource: m[3] });

const expect = (name, resource, detail) => {
  const b = bindings.get(name);
  if (!check(b, `wrangler lists no binding ${name} (${resource})`)) return;
  check(b.resource === resource, `binding ${name} is a ${b.resource}, expected ${resource}`);
  if (detail !== undefined) check(b.detail === detail, `binding ${name} is (${b.detail}), expected (${detail})`);
};
expect("ACCOUNTS", "Durable Object", "AccountInbox");
expect("DIRECTORY", "Durable Object", "Directory");
expect("JOBS", "Queue", "graph-conversations-jobs");

// Every [vars] entry of wrangler.toml (a flat table of `NAME = ...` lines).
const toml = readFileSync(tomlFile, "utf8");
const varsTable = /^\[vars\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
const vars = [...varsTable.matchAll(/^\s*([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]);
for (const name of ["GRAPH_BASE_URL", "ALLOWED_ORIGINS"]) check(vars.includes(name), `wrangler.toml's [vars] has no ${name}`);
for (const name of vars) expect(name, "Environment Variable");

check(/--dry-run: exiting now\./.test(output), "wrangler did not reach the end of the dry run");
// A warning block: its first line, then indented details up to a blank line.
const warnings = [...output.matchAll(/^.*\[(?:WARNING|ERROR)\].*$(?:\n\n?[ \t]+\S.*$)*/gm)].map((m) => m[0].trim());
check(warnings.length === 0, `wrangler complained:\n    ${warnings.join("\n    ")}`);

if (failures.length) {
  console.error(`deploy check: ${failures.length} failed\n  - ${failures.join("\n  - ")}`);
  process.exit(1);
}
const upload = /Total Upload: (.*)$/m.exec(output)?.[1] ?? "?";
console.log(
  `deploy check: ok: index.js ${code.length} B + ${wasmName} ${packageWasm.length} B (total upload ${upload}); ` +
    `bindings ${[...bindings.keys()].join(", ")}`,
);
