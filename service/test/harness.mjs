// The inbox service in workerd, as the tests and the benchmark run it: bundled the way wrangler
// does (esbuild, the package's workerd entry, the .wasm as its own module), configured from
// wrangler.toml itself (wrangler's unstable_getMiniflareWorkerOptions), run by Miniflare 4 with
// Durable Objects, Queues and SQLite persisted in a directory, listening on loopback so
// graph-sim can deliver webhooks to it. Everything workerd prints is kept in `logs`, which the
// tests scan for secrets.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTool, tool } from "../launch.mjs";
import { bundle } from "../workerd/bundle.mjs";

export const SECRETS = {
  API_KEY: "svc-test-api-key-0123456789",
  TENANT_KEYS: "other=svc-test-other-tenant-key",
  APP_SECRET: "svc-test-app-secret",
  VERIFY_TOKEN: "svc-test-verify-token",
  TOKEN_KEY: "svc-test-token-key-that-seals-access-tokens",
};

const app = new URL("..", import.meta.url).pathname;

/** A fresh directory for persisted state, on tmpfs when there is one (new SQLite objects cost 10× less). */
export function stateDir() {
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "gc-service-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true })); // tmpfs is memory
  return dir;
}

let built;
/** The bundled Worker, built once per process. */
async function build() {
  built ??= bundle(join(app, "src/index.js"), join(app, ".build")).then(() => join(app, ".build"));
  return built;
}

/**
 * Starts the service on 127.0.0.1 (a free port) with its state in `persist`; resolves to
 * `{url, mf, logs, dispose, scheduled, jobs}`. `vars` override wrangler.toml's; `queue` the
 * jobs consumer's settings (the tests shorten retry delays); `port` 0 picks a free one.
 */
export async function startService({ persist, vars = {}, queue = {}, port = 0 }) {
  const { Miniflare, Log, LogLevel } = await importTool("miniflare");
  const { unstable_getMiniflareWorkerOptions } = tool("wrangler");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(app, "wrangler.toml"));
  const out = await build();
  const logs = [];
  const capture = (stream) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      logs.push(chunk);
      if (process.env.SERVICE_DEBUG) process.stderr.write(chunk);
    });
  };
  const consumers = { ...workerOptions.queueConsumers };
  for (const name of Object.keys(consumers)) if (!name.endsWith("-dlq")) consumers[name] = { ...consumers[name], ...queue };
  const mf = new Miniflare({
    ...workerOptions,
    name: "service",
    modules: true,
    scriptPath: join(out, "index.js"),
    modulesRoot: out,
    queueConsumers: consumers,
    bindings: { ...workerOptions.bindings, ...SECRETS, ...vars },
    durableObjectsPersist: join(persist, "do"),
    cachePersist: false,
    host: "127.0.0.1",
    port: Number(port),
    cf: false,
    log: new Log(LogLevel.WARN),
    handleRuntimeStdio: (stdout, stderr) => {
      capture(stdout);
      capture(stderr);
    },
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const worker = await mf.getWorker();
  return {
    url,
    mf,
    logs,
    dispose: () => mf.dispose(),
    /** Runs the cron trigger once, as Cloudflare does on schedule. */
    scheduled: () => worker.scheduled({ cron: "*/15 * * * *", scheduledTime: new Date() }),
    /** The jobs queue, to send what the tests need (duplicates, poison). */
    jobs: () => mf.getQueueProducer("JOBS"),
  };
}

/** The API as a dashboard calls it: `call(path, {method, body, key})` → `{status, body, text}`. */
export function apiClient(url, key = SECRETS.API_KEY) {
  const seen = [];
  const call = async (path, { method, body, key: k = key, headers = {} } = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    seen.push(text);
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  /** Every thread of an account with every message, paging through the API. */
  const inbox = async (accountId, pageSize = 100) => {
    const threads = [];
    let cursor;
    do {
      const r = await call(`/api/accounts/${accountId}/threads?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ""}`);
      if (r.status !== 200) throw new Error(`threads of ${accountId}: ${r.status} ${r.text}`);
      threads.push(...r.body.data);
      cursor = r.body.next;
    } while (cursor);
    for (const thread of threads) {
      const messages = [];
      let next;
      do {
        const r = await call(`/api/accounts/${accountId}/threads/${encodeURIComponent(thread.key)}/messages?limit=${pageSize}${next ? `&cursor=${next}` : ""}`);
        if (r.status !== 200) throw new Error(`messages of ${thread.key}: ${r.status} ${r.text}`);
        messages.push(...r.body.data);
        next = r.body.next;
      } while (next);
      thread.messages = messages;
    }
    return threads;
  };
  return { call, inbox, seen };
}

/** GET `url` as JSON (graph-sim's control API); anything but a 2xx throws with the body. */
export async function getJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** POST `body` as JSON to `url`; answers the JSON reply. */
export const postJson = (url, body) => getJson(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (truthy = done) every `every` ms; fails with `what` and the last value after `ms`. */
export async function waitFor(what, check, ms = 30_000, every = 100) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (process.env.SERVICE_DEBUG) console.error(`waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(last)?.slice(0, 500)}`);
    await sleep(every);
  }
}
