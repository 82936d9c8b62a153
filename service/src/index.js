// The inbox service's Worker: Meta's webhooks, the dashboards' API, the job queue's consumers and
// the cron trigger. It holds no state: accounts live in their AccountInbox Durable Objects,
// the list of accounts in the Directory.
//
//   POST /webhooks ── verify, parse ──► AccountInbox(entry.id).ingest() ── stored ──► 200
//   POST /api/accounts ──► AccountInbox.connectAccount (sealed token; it lists itself in the
//                          Directory) ──► JOBS queue
//   JOBS consumer ──► AccountInbox.start(job)      (idempotent by job id; poison → JOBS_DLQ)
//   cron ──► re-send stalled jobs; a catch-up sync for every live account (heals webhook gaps)

import { WebhookReceiver, initWasm } from "graph-conversations";
import { AccountInbox } from "./account.js";
import { Directory, directory } from "./directory.js";
import {
  HttpError, authenticate, corsHeaders, encodeCursor, errorResponse, isGraphId, json, parseCursor,
  parseLimit, readJsonObject, withHeaders,
} from "./http.js";
import { graphHosts } from "./hosts.js";
import { sealToken } from "./seal.js";

export { AccountInbox, Directory };

/** Accounts whose job made no progress for this long are re-sent by the cron trigger. */
const STALLED_MS = 60_000;
const PLATFORMS = new Set(["messenger", "instagram"]);

const account = (env, accountId) => env.ACCOUNTS.get(env.ACCOUNTS.idFromName(accountId));

// One receiver per isolate and settings (secrets are read from env, never logged).
let receiver;
let receiverFor;
function webhookReceiver(env) {
  const settings = [env.APP_SECRET, env.APP_SECRETS ?? "", env.VERIFY_TOKEN ?? ""];
  if (!receiver || receiverFor.some((v, i) => v !== settings[i])) {
    const additionalSecrets = (env.APP_SECRETS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    receiver = new WebhookReceiver({ appSecret: env.APP_SECRET, additionalSecrets, verifyToken: env.VERIFY_TOKEN || undefined });
    receiverFor = settings;
  }
  return receiver;
}

/** Hands each account's events to its Durable Object; resolves once every one stored them. */
async function storeEvents(env, events) {
  const byAccount = new Map();
  for (const event of events) {
    if (!isGraphId(event.accountId)) continue; // not an account this service could hold
    if (!byAccount.has(event.accountId)) byAccount.set(event.accountId, []);
    byAccount.get(event.accountId).push(event);
  }
  await Promise.all([...byAccount].map(([accountId, batch]) => account(env, accountId).ingest(batch)));
}

async function webhooks(request, env, ctx) {
  if (!env.APP_SECRET) return errorResponse(503, "the service has no APP_SECRET configured");
  await initWasm();
  const response = await webhookReceiver(env).handle(request, (events) => storeEvents(env, events));
  // A successful handshake means the subscription was (re)made: deliveries may have stopped
  // before it, so every live account catches up.
  if (request.method === "GET" && response.status === 200) ctx.waitUntil(catchUp(env, `resubscribe-${Date.now()}`));
  return response;
}

// ---- the API ----

async function connectAccount(request, env, tenant) {
  const body = await readJsonObject(request);
  const { platform, accountId, accessToken, pageId, baseUrl } = body;
  const unknown = Object.keys(body).filter((k) => !["platform", "accountId", "accessToken", "pageId", "baseUrl"].includes(k));
  if (unknown.length) throw new HttpError(400, `unknown fields: ${unknown.join(", ")}`);
  // A token goes only to a host the deployment names: GRAPH_BASE_URL, or INSTAGRAM_BASE_URL
  // for Instagram Login tokens.
  const hosts = graphHosts(env);
  if (baseUrl !== undefined && !hosts.includes(baseUrl)) throw new HttpError(400, `baseUrl must be one of ${hosts.join(", ")}`);
  if (!PLATFORMS.has(platform)) throw new HttpError(400, 'platform must be "messenger" or "instagram"');
  if (!isGraphId(accountId)) throw new HttpError(400, "accountId must be the numeric id webhooks use as entry.id");
  if (pageId !== undefined && !isGraphId(pageId)) throw new HttpError(400, "pageId must be a numeric Page id");
  if (typeof accessToken !== "string" || !/^[\x21-\x7e]{8,4096}$/.test(accessToken)) throw new HttpError(400, "accessToken must be a token string");
  if (!env.TOKEN_KEY) throw new HttpError(503, "the service has no TOKEN_KEY configured");

  const sealedToken = await sealToken(env.TOKEN_KEY, accountId, accessToken);
  const job = { kind: "backfill", id: crypto.randomUUID(), accountId };
  const status = await account(env, accountId).connectAccount({ tenant, platform, accountId, pageId, sealedToken, host: hosts.indexOf(baseUrl ?? hosts[0]), job });
  if (!status) throw new HttpError(409, "this account is connected by another tenant");
  await env.JOBS.send(job);
  console.log(JSON.stringify({ msg: "job queued", ...job }));
  return json({ ...status, status: "queued" }, 202);
}

/** `/api/accounts/{id}/…`: the account's Durable Object, after the tenant check it makes. */
async function accountRoute(request, env, tenant, accountId, rest, params) {
  const inbox = account(env, accountId);
  const notFound = () => new HttpError(404, "unknown account");
  if (rest.length === 0 && request.method === "DELETE") {
    if (!(await inbox.disconnect(tenant))) throw notFound();
    await directory(env).remove(accountId, tenant);
    return new Response(null, { status: 204 });
  }
  if (request.method !== "GET") throw new HttpError(405, "method not allowed");
  if (rest.length === 0) {
    const status = await inbox.status(tenant);
    if (!status) throw notFound();
    return json(status);
  }
  if (rest.length === 1 && rest[0] === "live") {
    // Forwarded with only what the object needs, and the tenant this Worker authenticated.
    const headers = new Headers({ "x-service-tenant": tenant });
    for (const name of ["upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "accept"]) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return inbox.fetch(new Request(request.url, { headers }));
  }
  const limit = parseLimit(params);
  const cursor = parseCursor(params);
  const pageOut = (page) => json(page.next ? { data: page.data, next: encodeCursor(...page.next) } : { data: page.data });
  if (rest.length === 1 && rest[0] === "threads") {
    const page = await inbox.threads(tenant, limit, cursor);
    if (!page) throw notFound();
    return pageOut(page);
  }
  if (rest.length === 3 && rest[0] === "threads" && rest[2] === "messages") {
    const key = rest[1];
    if (!/^(messenger|instagram):[0-9]{1,32}:[0-9A-Za-z_-]{1,64}$/.test(key)) throw new HttpError(400, "malformed thread key");
    const page = await inbox.messages(tenant, key, limit, cursor);
    if (!page) throw notFound();
    if (page === "no-thread") throw new HttpError(404, "unknown thread");
    return pageOut(page);
  }
  throw new HttpError(404, "no such route");
}

async function api(request, env) {
  const tenant = await authenticate(request, env);
  const url = new URL(request.url);
  let segments;
  try {
    segments = url.pathname.slice("/api/".length).split("/").map(decodeURIComponent);
  } catch {
    throw new HttpError(400, "malformed path"); // after the key check: without one, a 401 like every route
  }
  if (segments.length === 1 && segments[0] === "accounts") {
    if (request.method === "POST") return connectAccount(request, env, tenant);
    if (request.method === "GET") return json(await directory(env).list(tenant));
    throw new HttpError(405, "method not allowed");
  }
  if (segments[0] === "accounts" && segments.length >= 2) {
    if (!isGraphId(segments[1])) throw new HttpError(400, "malformed account id");
    return accountRoute(request, env, tenant, segments[1], segments.slice(2), url.searchParams);
  }
  throw new HttpError(404, "no such route");
}

async function fetch(request, env, ctx) {
  const url = new URL(request.url);
  if (url.pathname === "/webhooks") return webhooks(request, env, ctx);
  if (!url.pathname.startsWith("/api/")) return errorResponse(404, "no such route");
  const cors = corsHeaders(request, env);
  if (request.method === "OPTIONS") return new Response(null, { status: Object.keys(cors).length ? 204 : 403, headers: cors });
  try {
    return withHeaders(await api(request, env), cors);
  } catch (error) {
    if (error instanceof HttpError) return withHeaders(errorResponse(error.status, error.message), cors);
    console.error("api error", error?.stack ?? String(error));
    return withHeaders(errorResponse(500, "internal error"), cors);
  }
}

// ---- jobs ----

/** A catch-up job for every live account (one Graph request each when nothing changed). */
async function catchUp(env, id) {
  const live = await directory(env).live();
  await sendJobs(env, live.map((accountId) => ({ kind: "catchup", id, accountId })));
}

async function sendJobs(env, jobs) {
  for (let i = 0; i < jobs.length; i += 100) {
    await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
  }
  if (jobs.length) console.log(JSON.stringify({ msg: "jobs sent", count: jobs.length, kinds: [...new Set(jobs.map((j) => j.kind))] }));
}

async function queue(batch, env) {
  const deadLetters = batch.queue.endsWith("-dlq");
  await Promise.all(
    batch.messages.map(async (message) => {
      const job = message.body;
      try {
        if (!job || !isGraphId(job.accountId)) {
          console.error(JSON.stringify({ msg: "malformed job dropped", queue: batch.queue }));
          return message.ack();
        }
        const inbox = account(env, job.accountId);
        if (deadLetters) {
          // (message.attempts counts deliveries from the dead-letter queue, not the job's own.)
          await inbox.jobFailed(job, "failed every delivery and was dead-lettered");
          console.error(JSON.stringify({ msg: "job dead-lettered", kind: job.kind, id: job.id, accountId: job.accountId }));
        } else {
          const outcome = await inbox.start(job);
          console.log(JSON.stringify({ msg: "job", outcome, kind: job.kind, id: job.id, accountId: job.accountId }));
        }
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ msg: "job failed", kind: job?.kind, id: job?.id, accountId: job?.accountId, error: String(error?.message ?? error) }));
        message.retry();
      }
    }),
  );
}

async function scheduled(controller, env) {
  // Re-sending a job is harmless (AccountInbox.start is idempotent by id) and re-arms its alarm.
  await sendJobs(env, await directory(env).stalled(Number(env.STALLED_MS ?? STALLED_MS)));
  await catchUp(env, `cron-${controller.scheduledTime}`);
}

export default { fetch, queue, scheduled };
