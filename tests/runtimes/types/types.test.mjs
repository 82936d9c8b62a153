// TypeScript users' view of the installed package:
// - consumer.ts (every public operation, realistic code, @ts-expect-error negatives) compiles with
//   tsc --strict against the package's exports: moduleResolution bundler and node16 with the DOM
//   lib, and node16 without the DOM lib (types: ["node"], @types/node from the script's cache);
// - consumer-webhooks.ts (WebhookReceiver, WebhookEvent narrowed by `type`, Inbox, InboxThread)
//   with it, under the same three;
// - consumer-sync.ts (syncInbox) likewise: the .d.ts must declare syncInbox;
// - no `any` in any public .d.ts, token by token (comments and strings ignored);
// - each entry's runtime exports are exactly the values the .d.ts declares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { app, root, run, tool } from "../lib.mjs";

const ts = tool("typescript");
const tsc = join(root, "tools/node_modules/.bin/tsc");
const pkg = join(app, "node_modules/graph-conversations");
const types = join(app, "types");

async function compile(config, extra = []) {
  const r = await run(tsc, ["-p", join(types, config), "--pretty", "false", ...extra]);
  assert.equal(r.code, 0, `tsc -p ${config} ${extra.join(" ")}:\n${r.stdout}${r.stderr}`);
}

test("consumer.ts + consumer-webhooks.ts: strict, moduleResolution bundler, lib es2022 + dom", () => compile("tsconfig.bundler.json"));
test("consumer.ts + consumer-webhooks.ts: strict, moduleResolution node16, lib es2022 + dom", () => compile("tsconfig.node16.json"));
test("consumer.ts + consumer-webhooks.ts: strict, node16, no DOM lib (types: node)", () =>
  compile("tsconfig.nodom.json", ["--typeRoots", join(process.env.GC_TYPES_NODE ?? "", "@types")]));

test("consumer-sync.ts: syncInbox, strict, bundler", async () => {
  assert.match(readFileSync(join(pkg, "types.d.ts"), "utf8"), /\bsyncInbox\(/, "types.d.ts declares syncInbox");
  await compile("tsconfig.sync.json");
});

function dtsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "node_modules" ? [] : dtsFiles(join(dir, e.name))) : e.name.endsWith(".d.ts") ? [join(dir, e.name)] : []);
}

test("no `any` in the public .d.ts files", () => {
  const files = dtsFiles(pkg);
  assert.ok(files.some((f) => f.endsWith("/index.d.ts")) && files.some((f) => f.endsWith("/types.d.ts")), `${files}`);
  const hits = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia: comments */ true, ts.LanguageVariant.Standard, text);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.AnyKeyword) {
        const { line } = ts.getLineAndCharacterOfPosition(ts.createSourceFile(file, text, ts.ScriptTarget.Latest), scanner.getTokenStart());
        hits.push(`${relative(pkg, file)}:${line + 1}: ${text.split("\n")[line].trim()}`);
      }
    }
  }
  assert.deepEqual(hits, []);
});

test("every entry exports at run time exactly the values its .d.ts declares", () => {
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  const entries = [
    ...Object.entries(manifest.exports["."]).filter(([c]) => c !== "types").map(([c, f]) => [`"." ${c}`, f, manifest.exports["."].types]),
    ['"./slim"', manifest.exports["./slim"].default, manifest.exports["./slim"].types],
  ];
  const files = [...new Set(entries.flatMap(([, f, t]) => [join(pkg, f), join(pkg, t)]))];
  const program = ts.createProgram(files, { allowJs: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
  const checker = program.getTypeChecker();
  const values = (file) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
    return checker.getExportsOfModule(symbol)
      .filter((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value)
      .map((s) => s.name).sort();
  };
  for (const [name, file, dts] of entries) {
    assert.deepEqual(values(join(pkg, file)), values(join(pkg, dts)), `${name} (${file}) vs ${dts}: runtime exports vs declared values`);
  }
});
