// Runs scripts/demo.sh as a newcomer would (`make demo` after the build), on a free port, in its
// own staging directory, and stops it the way Ctrl-C does.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { root } from "../js/launch.mjs";

/**
 * Starts the demo stack; resolves to { url, stop() } once it printed the URL to open.
 * `settings`: more of demo.sh's environment (DEMO_TRAFFIC, DEMO_CONNECT, DEMO_API_KEY).
 */
export async function startDemo(simArgs = [], settings = {}) {
  const dir = `target/demo-test-${process.pid}`;
  const child = spawn("scripts/demo.sh", [], {
    cwd: root,
    env: { ...process.env, DEMO_PORT: "0", DEMO_DIR: dir, DEMO_SIM_ARGS: simArgs.join(" "), ...settings },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("demo.sh printed no URL within 60 s")), 60_000);
    exited.then(({ code }) => reject(new Error(`demo.sh exited with ${code} before printing a URL`)));
    lines.on("line", (line) => {
      const m = /^Open (http:\/\/127\.0\.0\.1:\d+)\/ in your browser$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return {
    url,
    /** SIGINT, as Ctrl-C sends; resolves to the demo's exit once it stopped the service and graph-sim. */
    async stop() {
      child.kill("SIGINT");
      const result = await exited;
      for (const d of [dir, `${dir}.service`, `${dir}.state`]) rmSync(`${root}/${d}`, { recursive: true, force: true });
      return result;
    },
  };
}
