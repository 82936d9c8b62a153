// JS-side helpers the wasm module imports. GraphApiError lives here, not in Rust, because a
// wasm-bindgen class cannot extend Error; every entry re-exports this one class, so `instanceof`
// works in every runtime.

export class GraphApiError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = "GraphApiError";
    this.kind = fields.kind ?? "graph";
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.code !== undefined) this.code = fields.code;
    if (fields.subcode !== undefined) this.subcode = fields.subcode;
    if (fields.type !== undefined) this.type = fields.type;
    if (fields.fbtraceId !== undefined) this.fbtraceId = fields.fbtraceId;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    this.isTransient = Boolean(fields.isTransient);
  }
}

export function createGraphApiError(message, fields) {
  return new GraphApiError(message, fields);
}

// HMAC-SHA256 with WebCrypto (Workers, Deno, Node >= 18, browsers), the one JS implementation:
// appsecret_proof uses it, webhook signatures (X-Hub-Signature-256) will. The Rust core's
// core::hmac computes the same values (the tests check both against one vector); the wasm does
// not ship it, to stay in the size budget. Keys and messages: strings (UTF-8) or bytes.
const utf8 = (v) => (typeof v === "string" ? new TextEncoder().encode(v) : v);
const hmacKey = (key, use) => crypto.subtle.importKey("raw", utf8(key), { name: "HMAC", hash: "SHA-256" }, false, [use]);

export async function hmacSha256(key, bytes) {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(key, "sign"), utf8(bytes)));
}

// Whether `signature` (bytes) is the HMAC-SHA256 of `bytes`: crypto.subtle.verify compares in
// constant time, and answers false for a signature of the wrong length.
export async function verifyHmacSha256(key, bytes, signature) {
  return crypto.subtle.verify("HMAC", await hmacKey(key, "verify"), signature, utf8(bytes));
}

// A verifier of HMAC-SHA256 tags keyed with `secret` (WebCrypto, constant time). The secret lives
// only in the non-extractable key the closure holds. The Node entry passes node:crypto's instead:
// the same check without WebCrypto's thread-pool round trip, which dominates small bodies.
export function webCryptoVerifier(secret) {
  const key = hmacKey(secret, "verify");
  return async (bytes, tag) => crypto.subtle.verify("HMAC", await key, tag, bytes);
}

// appsecret_proof without loading the wasm at all: hex HMAC of `accessToken|time`.
export async function computeAppSecretProof(accessToken, appSecret, time) {
  const bad = (message) => new GraphApiError(message, { kind: "invalid_argument" });
  if (typeof accessToken !== "string" || accessToken === "" || typeof appSecret !== "string" || appSecret === "") {
    throw bad("accessToken and appSecret must be non-empty strings");
  }
  if (time === undefined || time === null) time = Math.floor(Date.now() / 1000);
  if (!Number.isInteger(time) || time < 0) throw bad("time must be whole unix seconds");
  if (!globalThis.crypto?.subtle) throw bad("WebCrypto (crypto.subtle) is not available here");
  const sig = await hmacSha256(appSecret, `${accessToken}|${time}`);
  return { proof: Array.from(sig, (b) => b.toString(16).padStart(2, "0")).join(""), time };
}

// Resolves after `ms`, or at once when `signal` fires: an aborted call stops waiting (for the
// pace or a retry) and its next fetch fails with the abort.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function isAbortSignal(value) {
  return typeof AbortSignal !== "undefined" && value instanceof AbortSignal;
}
