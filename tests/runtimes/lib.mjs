// Shared by the Node-side runners in tests/runtimes (run from the throwaway consumer
// target/runtimes/app by scripts/test-runtimes.sh, which starts graph-sim and sets GRAPH_SIM_URL).
import { spawn } from "node:child_process";
import { listedThreads as listed } from "./client.suite.mjs";
import { simClient } from "./sim.mjs";

export { IG, PAGE } from "./client.suite.mjs";
export { importTool, launchChromium, root, startSim, tool } from "./launch.mjs";
export const app = process.cwd();
if (!process.env.GC_ROOT || !process.env.GRAPH_SIM_URL) throw new Error("run through scripts/test-runtimes.sh (GC_ROOT, GRAPH_SIM_URL)");
export const sim = simClient(process.env.GRAPH_SIM_URL);

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
export const listedThreads = (accountId, platform) => listed(sim, accountId, platform);
