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

// appsecret_proof with WebCrypto (Workers, Deno, Node >= 18, browsers): the same value as the
// Rust core's app_secret_proof, without shipping an HMAC implementation in the wasm.
export async function hmacSha256Hex(key, message) {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
  return Array.from(sig, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Resolves when the signal fires; never rejects.
export function whenAborted(signal) {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

export function isAbortSignal(value) {
  return typeof AbortSignal !== "undefined" && value instanceof AbortSignal;
}
