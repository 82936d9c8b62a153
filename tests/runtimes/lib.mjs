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

/**
 * Starts a server command and resolves once its stdout or stderr matches `ready` (a RegExp):
 * { match, stdout(), stderr(), stop() }. Rejects if it exits or stays silent for `timeoutMs`.
 */
export function serve(cmd, args, { env = {}, ready, timeoutMs = 60_000 } = {}) {
  const child = spawn(cmd, args, { cwd: app, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("close", resolve);
    child.kill("SIGTERM");
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`${cmd} did not get ready in ${timeoutMs} ms:\n${out.stdout}${out.stderr}`)); }, timeoutMs);
    const check = () => {
      const match = ready.exec(out.stdout) ?? ready.exec(out.stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({ match, stdout: () => out.stdout, stderr: () => out.stderr, stop });
    };
    child.stdout.on("data", (d) => { out.stdout += d; check(); });
    child.stderr.on("data", (d) => { out.stderr += d; check(); });
    child.on("error", reject);
    child.on("close", (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited (${code}) before it was ready:\n${out.stdout}${out.stderr}`)); });
  });
}

/** Polls `read()` until `until(value)` holds; resolves to that value, or rejects after `ms`. */
export async function eventually(read, until, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > end) throw new Error(`not within ${ms} ms; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
