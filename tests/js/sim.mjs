// Starts graph-sim on a free loopback port for a test file and talks to its control API.
// Browser pages import this module too (for simClient), so Node APIs load only in startSim.

export async function startSim(args = []) {
  const [{ spawn }, { createInterface }, { fileURLToPath }] = await Promise.all([
    import("node:child_process"), import("node:readline"), import("node:url"),
  ]);
  const root = fileURLToPath(new URL(process.env.GC_ROOT ? `file://${process.env.GC_ROOT}/` : "../../", import.meta.url));
  const bin = process.env.GRAPH_SIM_BIN ?? `${root}/target/release/graph-sim`;
  const child = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`graph-sim exited with ${code}`)));
    lines.once("line", (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
  return simClient(url, () => child.kill());
}

/** The control API, usable from Node and from a browser page. */
export function simClient(url, stop = () => {}) {
  const control = async (path, init) => {
    const res = await fetch(`${url}/__sim/${path}`, init);
    if (!res.ok) throw new Error(`sim ${path}: HTTP ${res.status}`);
    return res.json();
  };
  const post = (path, body) =>
    control(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  return {
    url,
    stop,
    accounts: () => control("accounts"),
    requests: () => control("requests"),
    clearRequests: () => control("requests", { method: "DELETE" }),
    stats: () => control("stats"),
    reset: () => post("reset"),
    configure: (patch) => post("config", patch),
    addMessage: (conversationId, text) => post("messages", { conversation_id: conversationId, text }),
  };
}
