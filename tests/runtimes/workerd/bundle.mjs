// Bundling a Worker the way wrangler does (esbuild with the conditions ["workerd", "worker",
// "browser"], the .wasm kept as its own module that workerd hands over as a compiled
// WebAssembly.Module), and the Miniflare module rules that load such a bundle. Shared by
// tests/runtimes/workerd.test.mjs and tests/webhooks-e2e/ (both run from a copy where
// launch.mjs sits one folder up).
import { mkdirSync, rmSync } from "node:fs";
import { importTool } from "../launch.mjs";

export const modulesRules = [
  { type: "ESModule", include: ["**/*.js"] },
  { type: "CompiledWasm", include: ["**/*.wasm"] },
];

/** Bundles `entry` into `outdir` as wrangler would; resolves to esbuild's metafile. */
export async function bundle(entry, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const esbuild = await importTool("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    loader: { ".wasm": "copy" },
    external: ["cloudflare:*"], // the runtime's own modules (cloudflare:workers)
    metafile: true,
    logLevel: "silent",
  });
  return result.metafile;
}
