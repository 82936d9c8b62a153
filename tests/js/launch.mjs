// The Node side of every JS suite and benchmark: where the repository is, its build and test
// tools, graph-sim on a free loopback port, and headless Chromium. scripts/lib.sh is the shell
// side of the same; the `listening on` line is read only here and there.
// The suites also run from copies outside the repository (target/consumer, target/runtimes/app):
// there GC_ROOT, which scripts/lib.sh exports, says where the repository is.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { simClient } from "./sim.mjs";

/** The repository root, without a trailing slash. */
export const root = resolve(process.env.GC_ROOT ?? fileURLToPath(new URL("../..", import.meta.url)));

/** Build and test tools from tools/node_modules (esbuild, miniflare, vite, playwright-core, typescript). */
export const tool = createRequire(`${root}/tools/package.json`);
export const importTool = async (name) => import(tool.resolve(name));

const START_TIMEOUT_MS = 10_000;

/**
 * Starts graph-sim on a free loopback port with `args`; resolves, once it printed
 * `listening on http://127.0.0.1:PORT`, to its control API (simClient) whose stop() ends it.
 */
export async function startSim(args = []) {
  const bin = process.env.GRAPH_SIM_BIN ?? `${root}/target/release/graph-sim`;
  const child = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`graph-sim printed no address within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`graph-sim exited with ${code}`)));
      lines.once("line", (line) => {
        clearTimeout(timer);
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
        m ? resolve(m[1]) : reject(new Error(`graph-sim's first line: ${line}`));
      });
    });
    return simClient(url, () => child.kill());
  } catch (e) {
    child.kill();
    throw e;
  }
}

/**
 * Headless Debian Chromium driven by playwright-core, as root and offline: every host but
 * 127.0.0.1 fails to resolve at once (no waiting on Meta's CDN or Google's update services).
 */
export function launchChromium() {
  const { chromium } = tool("playwright-core");
  // Playwright gives each launch a fresh temporary profile (it refuses --user-data-dir).
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}
