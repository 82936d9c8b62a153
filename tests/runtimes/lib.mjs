// Shared by the Node-side runners in tests/runtimes (run from the throwaway consumer
// target/runtimes/app by scripts/test-runtimes.sh, which starts graph-sim and sets GRAPH_SIM_URL).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { simClient } from "./sim.mjs";

export const root = process.env.GC_ROOT;
export const app = process.cwd();
export const PAGE = { id: "106000000000001", token: "sim-page-token" };
export const IG = { id: "17841400000000001", token: "sim-ig-token" };
if (!root || !process.env.GRAPH_SIM_URL) throw new Error("run through scripts/test-runtimes.sh (GC_ROOT, GRAPH_SIM_URL)");
export const sim = simClient(process.env.GRAPH_SIM_URL);

/** Build and test tools from tools/node_modules (esbuild, miniflare, vite, playwright-core). */
export const tool = createRequire(`${root}/tools/package.json`);
export const importTool = async (name) => import(tool.resolve(name));

/** Runs a command to completion: { code, stdout, stderr }. */
export function run(cmd, args, { env = {}, cwd = app, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `killed by ${signal}` : code, stdout, stderr });
    });
  });
}

/** Number of threads the simulator lists in one inbox. */
export async function listedThreads(accountId, platform) {
  const account = (await sim.accounts()).find((a) => a.id === accountId);
  return account.inboxes.find((i) => i.platform === platform).listed_threads;
}
