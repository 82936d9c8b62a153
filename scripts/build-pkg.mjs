// Assembles the npm package in pkg/ from wasm-bindgen's `web` output (target/wasm-web) and the
// hand-written entries in js/. One .wasm for every runtime; entries differ only in how they load it.
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const wasmOut = join(root, "target/wasm-web");
// Assembled next to pkg/ and swapped in at the end, so a concurrent reader never sees half a package.
const finalPkg = join(root, "pkg");
const pkg = join(root, `target/pkg-staging-${process.pid}`);
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/^version = "([^"]+)"/m)[1];

rmSync(pkg, { recursive: true, force: true });
mkdirSync(join(pkg, "wasm"), { recursive: true });
for (const f of ["graph_conversations.js", "graph_conversations_bg.wasm", "snippets"]) {
  cpSync(join(wasmOut, f), join(pkg, "wasm", f), { recursive: true });
}

function find(dir, name) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const hit = find(path, name);
      if (hit) return hit;
    } else if (entry === name) return path;
  }
  return null;
}
const runtime = find(join(pkg, "wasm/snippets"), "runtime.js");
if (!runtime) throw new Error("js/runtime.js snippet not found in the wasm-bindgen output");

// core.js imports GraphApiError from the very module the wasm glue imports: one class identity.
const core = readFileSync(join(root, "js/core.js"), "utf8")
  .replace("__RUNTIME_JS__", "./" + relative(pkg, runtime));
writeFileSync(join(pkg, "core.js"), core);
cpSync(join(root, "js/entry"), join(pkg, "entry"), { recursive: true });

// Public types: the generated declarations, minus the low-level init API (typed with `any`) that
// the entries hide behind initWasm, and minus Symbol.dispose, which needs an esnext lib.
const generated = readFileSync(join(wasmOut, "graph_conversations.d.ts"), "utf8");
const cut = generated.indexOf("export type InitInput");
if (cut < 0) throw new Error("unexpected wasm-bindgen .d.ts layout");
let types = generated
  .slice(0, cut)
  .split("\n")
  .filter((line) => !line.includes("[Symbol.dispose]()"))
  .join("\n")
  .trimEnd() + "\n";
// Every change to the public types shows up in review: the generated declarations must equal the
// golden copy kept in the repository. After an intended change: UPDATE_GOLDEN=1 make pkg.
const golden = join(root, "tests/golden/types.d.ts");
if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, types);
else if (readFileSync(golden, "utf8") !== types) {
  writeFileSync(join(root, "target/types.d.ts.new"), types);
  throw new Error(
    "the public types changed: compare target/types.d.ts.new with tests/golden/types.d.ts; " +
      "if the change is intended, run UPDATE_GOLDEN=1 make pkg and commit the golden file",
  );
}
writeFileSync(join(pkg, "types.d.ts"), types);
writeFileSync(
  join(pkg, "index.d.ts"),
  `export * from "./types.js";

declare global {
  // Lets these declarations compile without the DOM lib (Node projects with @types/node only);
  // merges with the DOM's and Deno's declaration, which is just as empty.
  namespace WebAssembly {
    interface Module {}
  }
}

/**
 * Loads the wasm module now instead of on the first call. Optional everywhere but with
 * \`graph-conversations/slim\`, where it must be given the module (a \`WebAssembly.Module\`, its URL,
 * its bytes or a \`Response\`). Idempotent.
 */
export declare function initWasm(
  input?: WebAssembly.Module | URL | string | ArrayBuffer | Uint8Array | Response | Promise<Response>,
): Promise<void>;
`,
);

const manifest = {
  name: "graph-conversations",
  version,
  description:
    "Typed client for Meta's Conversations API (Messenger and Instagram threads): every JS runtime, one package",
  license: "MIT OR Apache-2.0",
  type: "module",
  engines: { node: ">=18" },
  sideEffects: false,
  types: "./index.d.ts",
  exports: {
    ".": {
      types: "./index.d.ts",
      workerd: "./entry/workerd.js",
      node: "./entry/node.js",
      browser: "./entry/browser.js",
      default: "./entry/browser.js",
    },
    "./slim": { types: "./index.d.ts", default: "./entry/slim.js" },
    "./wasm": "./wasm/graph_conversations_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["index.d.ts", "types.d.ts", "core.js", "entry", "wasm", "README.md"],
  keywords: ["graph-api", "messenger", "instagram", "conversations", "wasm", "cloudflare-workers", "deno"],
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
cpSync(join(root, "README.md"), join(pkg, "README.md"));
// Ship the JS with whitespace and comments removed (identifiers kept, so stack traces still read);
// see "The size budget" in ARCHITECTURE.md.
const { transformSync } = createRequire(join(root, "tools/package.json"))("esbuild");
(function minify(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) minify(path);
    else if (entry.endsWith(".js")) {
      const source = readFileSync(path, "utf8");
      const { code } = transformSync(source, { format: "esm", minifyWhitespace: true, minifySyntax: true, target: "es2022" });
      writeFileSync(path, code);
    }
  }
})(pkg);

rmSync(finalPkg, { recursive: true, force: true });
renameSync(pkg, finalPkg);
console.log(`pkg/ ready: graph-conversations@${version}`);
