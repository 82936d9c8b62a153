// `make demo`'s stack (started by scripts/demo.sh), as a team would deploy it, on loopback:
//
//   browser ──► this server ──/api/* + API key──► the inbox service (service/, workerd, its own process)
//                  │                                  ▲ webhooks           │ Graph calls, 2/s per account
//                  └──── everything else ──────► graph-sim ◄───────────────┘
//
// The page is served by graph-sim (--www: the live inbox at /, the direct mode at /direct/)
// through this server, which adds the API key to /api/ calls: the browser holds no Page or
// Instagram token and no API key. /demo/ serves what only a demo needs: the simulated accounts
// one may connect (connected here, with their tokens, which never leave this process), graph-sim's
// webhook and pacing counters, and a restart of the service process (the demo's "kill it").
//
// Settings (environment): DEMO_PORT (0: a free one), DEMO_SITE (the staged www/), DEMO_SERVICE_APP
// (the service as installed, scripts/lib.sh prepare_service_app), DEMO_STATE (the service's
// storage), DEMO_SIM_ARGS (graph-sim's inboxes), DEMO_TRAFFIC (live changes per second),
// DEMO_API_KEY (else random), DEMO_CONNECT (accounts connected at start, comma-separated ids).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { startSim } from "../tests/js/launch.mjs";

const env = process.env;
const secret = () => randomBytes(24).toString("base64url");
const SECRETS = {
  API_KEY: env.DEMO_API_KEY || secret(),
  APP_SECRET: secret(),
  VERIFY_TOKEN: secret(),
  TOKEN_KEY: secret(),
};
const SIM_ARGS = (env.DEMO_SIM_ARGS ?? "--messenger-threads 120 --instagram-threads 60 --messages 1..40 --pages 3 --page-threads 300").split(/\s+/).filter(Boolean);
const PAGE = "106000000000001";
const IG = "17841400000000001";

const sim = await startSim([
  "--seed", "42", "--www", env.DEMO_SITE, ...SIM_ARGS,
  // `--name=value`: a random base64url secret can start with "-", which would read as an option.
  `--webhook-secret=${SECRETS.APP_SECRET}`, `--verify-token=${SECRETS.VERIFY_TOKEN}`, "--webhook-batch-ms", "100",
]);
const simJson = async (path, init) => {
  const res = await fetch(`${sim.url}${path}`, init);
  if (!res.ok) throw new Error(`graph-sim ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

// ---- the service process, restarted whenever it ends (until we stop) ----

const service = { url: null, port: 0, pid: null, restarts: 0, child: null, stopping: false };
let serviceUp;
service.up = new Promise((resolve) => (serviceUp = resolve)); // resolved while it serves, replaced when it ends

function startService() {
  const child = spawn(process.execPath, ["test/host.mjs"], {
    cwd: env.DEMO_SERVICE_APP,
    detached: true, // its own process group: killing it takes workerd along
    env: {
      ...env,
      SERVICE_STATE: env.DEMO_STATE,
      SERVICE_PORT: String(service.port),
      SERVICE_VARS: JSON.stringify({ ...SECRETS, GRAPH_BASE_URL: sim.url, STALLED_MS: "5000" }),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  service.child = child;
  service.pid = child.pid;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line.trim());
    if (!m) return;
    service.url = m[1];
    service.port = Number(m[2]); // a restart listens on the same port: graph-sim's webhooks go there
    serviceUp();
  });
  child.once("exit", (code, signal) => {
    if (service.stopping) return;
    service.up = new Promise((resolve) => (serviceUp = resolve));
    service.restarts++;
    console.error(`the service process ended (${code ?? signal}); starting it again`);
    setTimeout(startService, 200);
  });
}

/** Resolves once the service serves (at once, unless it is restarting); rejects after 30 s. */
const serviceReady = () =>
  Promise.race([service.up, new Promise((_, reject) => setTimeout(() => reject(new Error("the service did not come back")), 30_000))]);

/** Kills the service's process group at once, as a crash would; the watcher above restarts it. */
function killService() {
  try {
    process.kill(-service.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

startService();
await serviceReady();
await simJson("/__sim/webhooks/subscribe", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ url: `${service.url}/webhooks`, verify_token: SECRETS.VERIFY_TOKEN }),
});

// ---- the simulated accounts (tokens stay here) ----

/** graph-sim's accounts as connectable inboxes: the Page's Messenger, its Instagram, then every extra Page. */
async function simAccounts() {
  const list = [];
  let offset = 0;
  for (;;) {
    const page = await simJson(`/__sim/accounts?offset=${offset}&limit=500`);
    if (!page.length) break;
    offset += page.length;
    for (const a of page) {
      if (a.id === IG) continue; // read through the Page's token below (Instagram Login is the direct mode's)
      for (const inbox of a.inboxes ?? []) {
        const instagram = inbox.platform === "instagram";
        list.push({
          accountId: inbox.entry_id,
          platform: inbox.platform,
          name: instagram ? `${a.name ?? a.username} · Instagram` : a.name ?? a.username,
          ...(instagram ? { pageId: a.id } : {}),
          token: a.token,
        });
      }
    }
    if (page.length < 500) break;
  }
  return list;
}

const api = async (path, init = {}) => {
  await serviceReady();
  return fetch(`${service.url}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${SECRETS.API_KEY}` } });
};

async function connect(accountId, platform) {
  const account = (await simAccounts()).find((a) => a.accountId === accountId && a.platform === platform);
  if (!account) return { status: 404, body: { error: { status: 404, message: "no such simulated account" } } };
  const res = await api("/api/accounts", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ platform, accountId, accessToken: account.token, ...(account.pageId ? { pageId: account.pageId } : {}) }),
  });
  return { status: res.status, body: await res.json() };
}

for (const id of (env.DEMO_CONNECT ?? `${PAGE},${IG},106000000100001`).split(",").filter(Boolean)) {
  const account = (await simAccounts()).find((a) => a.accountId === id);
  if (account) await connect(account.accountId, account.platform);
}
const traffic = Number(env.DEMO_TRAFFIC ?? 0.5);
if (traffic > 0) {
  await simJson("/__sim/webhooks/traffic", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rate: traffic }) });
}

// ---- HTTP ----

const json = (res, status, value) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
};

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Streams `req` to `target()` (a URL) and the answer back, server-sent events included. A
 * connection refused is tried again after `whenDown()` (the service restarting), `retries` times.
 */
async function proxy(req, res, target, extraHeaders = {}, { retries = 0, whenDown } = {}) {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = {};
  for (const name of ["accept", "content-type", "authorization", "origin", "last-event-id"]) {
    if (req.headers[name]) headers[name] = req.headers[name];
  }
  const body = ["GET", "HEAD"].includes(req.method) ? undefined : await readBody(req);
  let upstream;
  for (let attempt = 0; ; attempt++) {
    try {
      upstream = await fetch(target(), { method: req.method, headers: { ...headers, ...extraHeaders }, body, signal: abort.signal, redirect: "manual" });
      break;
    } catch (error) {
      if (abort.signal.aborted) return;
      if (attempt >= retries) return json(res, 502, { error: { status: 502, message: "the upstream is not answering" } });
      await new Promise((r) => setTimeout(r, 300));
      await whenDown?.();
    }
  }
  const out = {};
  upstream.headers.forEach((value, name) => {
    if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(name)) out[name] = value;
  });
  res.writeHead(upstream.status, out);
  if (!upstream.body) return res.end();
  Readable.fromWeb(upstream.body).on("error", () => res.end()).pipe(res);
}

async function stats() {
  const [hooks, log, simStats] = await Promise.all([simJson("/__sim/webhooks"), simJson("/__sim/webhooks/log"), simJson("/__sim/stats")]);
  const calls = {};
  for (const [id, p] of Object.entries(simStats.pacing ?? {})) calls[id] = { served: p.served, throttled: p.throttled, minGapMs: p.min_gap_ms };
  return {
    now: Date.now(),
    webhooks: { posts: hooks.posts, delivered: hooks.delivered, duplicates: log.filter((p) => p.duplicate && p.status === 200).reduce((n, p) => n + p.events, 0), failedAttempts: hooks.failed_attempts },
    calls,
  };
}

async function demoRoute(req, res, path) {
  if (req.method === "GET" && path === "/demo/accounts") {
    const connected = new Set(((await (await api("/api/accounts")).json()) ?? []).map((a) => a.accountId));
    return json(res, 200, (await simAccounts()).map(({ token, ...a }) => ({ ...a, connected: connected.has(a.accountId) })));
  }
  if (req.method === "POST" && path === "/demo/connect") {
    let body;
    try {
      body = JSON.parse((await readBody(req)).toString("utf8"));
    } catch {
      return json(res, 400, { error: { status: 400, message: "the body is not JSON" } });
    }
    const { status, body: answer } = await connect(String(body.accountId ?? ""), String(body.platform ?? ""));
    return json(res, status, answer);
  }
  if (req.method === "GET" && path === "/demo/stats") return json(res, 200, await stats());
  if (req.method === "GET" && path === "/demo/info") return json(res, 200, { service: { restarts: service.restarts, pid: service.pid }, directUrl: "/direct/" });
  if (req.method === "POST" && path === "/demo/restart") {
    killService();
    return json(res, 202, { restarting: true });
  }
  return json(res, 404, { error: { status: 404, message: "no such route" } });
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url, "http://demo").pathname;
  try {
    if (path.startsWith("/api/")) {
      // Only this server's key goes to the service; whatever the browser sent as one is dropped.
      // While the service restarts, calls wait for it (a dashboard's event stream reconnects).
      delete req.headers.authorization;
      await serviceReady();
      return await proxy(req, res, () => `${service.url}${req.url}`, { authorization: `Bearer ${SECRETS.API_KEY}` }, { retries: 60, whenDown: serviceReady });
    }
    if (path.startsWith("/demo/")) return await demoRoute(req, res, path);
    return await proxy(req, res, () => `${sim.url}${req.url}`);
  } catch (error) {
    if (!res.headersSent) json(res, 500, { error: { status: 500, message: String(error.message) } });
    else res.end();
  }
});
server.listen(Number(env.DEMO_PORT || 0), "127.0.0.1", () => {
  console.log(`Open http://127.0.0.1:${server.address().port}/ in your browser`);
  console.log("(the live inbox; graph-sim sends webhooks to the inbox service running in workerd; Ctrl-C stops everything)");
});

let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  service.stopping = true;
  server.close();
  try {
    process.kill(-service.child.pid, "SIGTERM");
  } catch {
    // gone
  }
  await new Promise((r) => setTimeout(r, 300));
  killService();
  sim.stop();
  process.exit(signal === "SIGINT" ? 130 : 143); // as a shell reports a process ended by the signal
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
