// graph-sim's control API (/__sim/), usable from Node, Deno, workerd and a browser page: it uses
// only fetch. Starting a simulator is launch.mjs's startSim (Node).

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
