// HTTP plumbing of the service's API: JSON answers, errors, authentication, CORS, capped bodies
// and cursors. Every limit the API promises (../README.md, "The inbox service") is stated here.

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Page sizes: `limit` is 1..MAX_LIMIT, DEFAULT_LIMIT when absent. */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;

/** An answer the API gives on purpose: a status and a message safe to show (never a secret). */
export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function json(value, status = 200, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export const errorResponse = (status, message) => json({ error: { status, message } }, status);

/** Reads a JSON object body of at most MAX_BODY_BYTES, without reading past the cap. */
export async function readJsonObject(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
  const chunks = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let value;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new HttpError(400, "the body must be a JSON object");
  }
  return value;
}

/** `limit` from the query: absent → DEFAULT_LIMIT; anything but an integer in 1..MAX_LIMIT → 400. */
export function parseLimit(params) {
  const raw = params.get("limit");
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^[1-9][0-9]{0,2}$/.test(raw) || Number(raw) > MAX_LIMIT) {
    throw new HttpError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

// A cursor is the position of the last item served, [time ms, id], as base64url JSON: opaque to
// clients, and checked strictly when it comes back.
export function encodeCursor(timeMs, id) {
  const bytes = new TextEncoder().encode(JSON.stringify([timeMs, id]));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor in the query, or null when absent; a cursor this service did not make → 400. */
export function parseCursor(params) {
  const raw = params.get("cursor");
  if (raw === null) return null;
  try {
    if (!/^[A-Za-z0-9_-]{1,1400}$/.test(raw)) throw new Error();
    const binary = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const [timeMs, id, ...rest] = JSON.parse(text);
    if (!Number.isSafeInteger(timeMs) || typeof id !== "string" || id === "" || rest.length) throw new Error();
    return { timeMs, id };
  } catch {
    throw new HttpError(400, "malformed cursor");
  }
}

/** Account and Graph ids: digits, as Meta's are (an id is also a Durable Object name). */
export const isGraphId = (value) => typeof value === "string" && /^[0-9]{1,32}$/.test(value);

// Keys are compared as HMACs under a key made for this isolate: equal-length digests compared
// without an early exit, so the time taken says nothing about how much of a guess was right.
// (Made on first use: Workers allow no random values at module scope.)
let hmacKey;
async function digest(text) {
  hmacKey ??= crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey, new TextEncoder().encode(text)));
}
async function sameSecret(a, b) {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/**
 * The tenants and their keys: `API_KEY` is the "default" tenant's; `TENANT_KEYS`
 * ("tenant=key,tenant=key") adds more. Accounts belong to the tenant that connected them.
 */
export function tenantKeys(env) {
  const keys = [];
  if (env.API_KEY) keys.push(["default", env.API_KEY]);
  for (const pair of (env.TENANT_KEYS ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at > 0 && at < pair.length - 1) keys.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim()]);
  }
  return keys;
}

/** The tenant whose key the request carries (`Authorization: Bearer <key>`), or a 401. */
export async function authenticate(request, env) {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  const keys = tenantKeys(env);
  if (!keys.length) throw new HttpError(503, "the service has no API_KEY configured");
  // Every key is compared, so which one matched (or none) takes the same time.
  const offered = match ? match[1] : "";
  const results = await Promise.all(keys.map(([, key]) => sameSecret(offered, key)));
  const index = results.indexOf(true);
  if (!match || index < 0) throw new HttpError(401, "missing or wrong API key");
  return keys[index][0];
}

/** CORS headers for a request from `origin`, when ALLOWED_ORIGINS lists it; else none. */
export function corsHeaders(request, env) {
  const origin = request.headers.get("origin");
  const allowed = (env.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  if (!origin || !allowed.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": "authorization, content-type",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

/** The same response with `headers` added (responses from fetch have immutable headers). */
export function withHeaders(response, headers) {
  if (!Object.keys(headers).length || response.status === 101) return response;
  const copy = new Response(response.body, response);
  for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
  return copy;
}
