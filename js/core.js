// The runtime-independent part of the package. Each entry (node, workerd, browser, slim) calls
// defineApi with its own way of loading the .wasm; nothing is loaded until the first call.
// The classes here only forward to the wasm-bindgen classes once the module is ready, so their
// types are the generated ones (see index.d.ts).

import * as glue from "./wasm/graph_conversations.js";
import { GraphApiError, computeAppSecretProof, hmacSha256, verifyHmacSha256, webCryptoVerifier } from "__RUNTIME_JS__";

export { GraphApiError };

// One instantiation per JS realm, whichever entry triggered it.
let instance = null; // Promise while loading, then true
let loaded = false;

function markLoaded() {
  loaded = true;
  instance = Promise.resolve(true);
}

export function defineApi(defaultLoader) {
  // loadSync: () => void (node, workerd) or null; loadAsync: (input?) => Promise<void>;
  // hmacVerifier: (secret) => (bytes, tag) => boolean | Promise<boolean>, WebCrypto's by default.
  const { loadSync, loadAsync, hmacVerifier = webCryptoVerifier } = defaultLoader;

  // Loading failures (a missing file, a CSP without 'wasm-unsafe-eval', a bundler that lost the
  // asset) reject like every other failure: as a GraphApiError, with the cause attached.
  const loadFailure = (cause) => {
    if (cause instanceof GraphApiError) return cause;
    const error = new GraphApiError(`could not load the graph-conversations wasm module: ${cause?.message ?? cause}`, { kind: "network" });
    error.cause = cause;
    return error;
  };

  function loadNowSync() {
    try {
      loadSync();
    } catch (cause) {
      throw loadFailure(cause);
    }
    markLoaded();
  }

  async function initWasm(input) {
    if (loaded) return;
    if (input === undefined && loadSync) return loadNowSync();
    if (instance === null) {
      const load = input === undefined
        ? loadAsync
        : async () => {
          if (input instanceof WebAssembly.Module) glue.initSync({ module: input });
          else await glue.default({ module_or_path: input });
        };
      instance = (async () => {
        try {
          await load();
        } catch (cause) {
          throw loadFailure(cause);
        }
        markLoaded();
      })();
      instance.catch(() => { instance = null; });
    }
    await instance;
  }

  function trySyncInit() {
    if (!loaded && loadSync) loadNowSync();
    return loaded;
  }

  // Rejects through the returned promise, never throws synchronously from an async method.
  async function ready() {
    if (!trySyncInit()) await initWasm();
  }

  class ConversationsClient {
    #options;
    #inner = null;

    constructor(options) {
      this.#options = options;
      // Where the wasm can be loaded synchronously, bad options throw here, as users expect.
      if (trySyncInit()) this.#inner = new glue.ConversationsClient(options);
    }

    async #client() {
      if (this.#inner === null) {
        await ready();
        this.#inner ??= new glue.ConversationsClient(this.#options);
      }
      return this.#inner;
    }

    get usage() {
      return this.#inner?.usage;
    }

    get nextCallAt() {
      return this.#inner?.nextCallAt ?? Date.now();
    }

    free() {
      this.#inner?.free();
      this.#inner = null;
    }

    // Forwarders for the operations of the wasm class (core::operations in Rust): one Promise,
    // or a list that must exist before the wasm loads. tests/js/secrets.test.mjs checks this
    // class has exactly the wasm class's methods.
    // Defined like class methods (not enumerable), so instances look as if written out.
    static {
      const define = (name, value) => Object.defineProperty(this.prototype, name, { value, writable: true, configurable: true });
      for (const name of PROMISE_METHODS) {
        define(name, async function (id, options) {
          return (await this.#client())[name](id, options);
        });
      }
      for (const name of LIST_METHODS) {
        define(name, function (id, options) {
          return lazyStream(async () => (await this.#client())[name](id, options), options?.signal);
        });
      }
    }
  }

  async function clientDefaults() {
    await ready();
    return glue.clientDefaults();
  }

  // The wasm Inbox, whose methods are synchronous: it is built once the module is loaded, which
  // Node and Workers do on the spot; browsers `await initWasm()` first.
  class Inbox extends glue.Inbox {
    constructor(options) {
      if (!trySyncInit()) throw new GraphApiError("new Inbox() needs the wasm module loaded: await initWasm() first", { kind: "invalid_argument" });
      super(options);
    }
  }

  // Meta's webhook deliveries: signatures checked here with WebCrypto (crypto.subtle.verify is
  // constant time; the wasm does not ship an HMAC, see core::hmac), bodies parsed by the core.
  class WebhookReceiver {
    #verifiers;
    #verifyToken;
    #maxBodyBytes;

    constructor(options) {
      const bad = (message) => new GraphApiError(message, { kind: "invalid_argument" });
      const { appSecret, additionalSecrets = [], verifyToken, maxBodyBytes } = options ?? {};
      const secrets = [appSecret, ...(Array.isArray(additionalSecrets) ? additionalSecrets : [null])];
      // Fail closed: a receiver without a secret would accept anything.
      if (!secrets.every((s) => typeof s === "string" && s !== "")) throw bad("appSecret (and every additionalSecrets entry) must be a non-empty string");
      if (verifyToken !== undefined && (typeof verifyToken !== "string" || verifyToken === "")) throw bad("verifyToken must be a non-empty string");
      if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) throw bad("maxBodyBytes must be a positive whole number");
      // The secrets live only inside these closures, never on the instance.
      this.#verifiers = secrets.map(hmacVerifier);
      this.#verifyToken = verifyToken;
      this.#maxBodyBytes = maxBodyBytes;
    }

    // Which secret signed the body: 0 for appSecret, then additionalSecrets in order; -1 for none.
    async matchSecret(body, signature) {
      const tag = signatureBytes(signature);
      if (tag === null) return -1;
      const bytes = asBytes(body);
      for (let i = 0; i < this.#verifiers.length; i++) {
        if (await this.#verifiers[i](bytes, tag)) return i;
      }
      return -1;
    }

    async verify(body, signature) {
      return (await this.matchSecret(body, signature)) >= 0;
    }

    async receive(body, signature) {
      return (await this.#receive(asBytes(body), signature)).events;
    }

    // The body cap: the option, or the core's default (core::webhook, which also words failures).
    async #maxBytes() {
      await ready();
      return this.#maxBodyBytes ?? glue.webhookMaxBodyBytes();
    }

    async #receive(bytes, signature) {
      const max = await this.#maxBytes();
      if (bytes.byteLength > max) throw new GraphApiError(`the body has ${bytes.byteLength} bytes, more than maxBodyBytes ${max}`, { kind: "invalid_payload", status: 413 });
      const secretIndex = await this.matchSecret(bytes, signature);
      if (secretIndex < 0) {
        const why = glue.signatureFailure(typeof signature === "string" ? signature : undefined);
        throw new GraphApiError(why, { kind: "invalid_signature" });
      }
      return { events: glue.parseWebhook(bytes), secretIndex };
    }

    // A fetch-style handler: GET answers Meta's subscription handshake; POST verifies, parses,
    // awaits `handler(events, { secretIndex })` and only then answers 200, so nothing is
    // acknowledged before it is stored.
    async handle(request, handler) {
      const text = (status, body = "") => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
      if (request.method === "GET") {
        const query = new URL(request.url).searchParams;
        const challenge = query.get("hub.challenge");
        const ok = this.#verifyToken !== undefined && query.get("hub.mode") === "subscribe" && challenge !== null
          && (await sameSecret(this.#verifyToken, query.get("hub.verify_token") ?? ""));
        return ok ? text(200, challenge) : text(403, "forbidden");
      }
      if (request.method !== "POST") return new Response("method not allowed", { status: 405, headers: { allow: "GET, POST" } });
      let received;
      try {
        const bytes = await readCapped(request, await this.#maxBytes());
        received = await this.#receive(bytes, request.headers.get("x-hub-signature-256"));
      } catch (error) {
        const status = error.status === 413 ? 413 : error.kind === "invalid_signature" ? 401 : error.kind === "invalid_payload" ? 400 : 500;
        return text(status, status === 500 ? "error" : error.message);
      }
      try {
        await handler(received.events, { secretIndex: received.secretIndex });
      } catch {
        // Meta retries a delivery that was not acknowledged.
        return text(500, "handler failed");
      }
      return text(200, "EVENT_RECEIVED");
    }
  }

  return { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm, Inbox, WebhookReceiver };
}

const asBytes = (body) => {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new GraphApiError("the body must be the raw request body: a string, Uint8Array or ArrayBuffer (not parsed JSON)", { kind: "invalid_argument" });
};

// `sha256=` and 64 hex digits (either case) as 32 bytes; null for anything else.
function signatureBytes(signature) {
  const hex = typeof signature === "string" ? signature.trim().match(/^sha256=([0-9a-fA-F]{64})$/)?.[1] : undefined;
  return hex ? Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16)) : null;
}

// Constant-time equality of two strings: both through HMAC, compared by crypto.subtle.verify.
async function sameSecret(expected, given) {
  return verifyHmacSha256("verify-token", given, await hmacSha256("verify-token", expected));
}

// The body's bytes, refusing (413) as soon as it grows past `max`, so a huge body is never buffered.
async function readCapped(request, max) {
  const tooLarge = () => new GraphApiError(`the body is larger than maxBodyBytes ${max}`, { kind: "invalid_payload", status: 413 });
  if (Number(request.headers.get("content-length")) > max) throw tooLarge();
  const chunks = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const PROMISE_METHODS = ["listConversations", "findConversation", "getConversation", "listMessages", "getMessage"];
const LIST_METHODS = ["conversations", "messages", "syncInbox"];

// The public list type (AsyncIterable with .pages() and .toArray()) over the wasm PageStream,
// which only knows nextPage(). The stream is opened on first use; calls are queued so
// overlapping next() calls never fetch the same page twice.
function lazyStream(open, signal) {
  let stream = null;
  let queue = Promise.resolve();
  let buffer = [];
  let done = false;
  const serial = (fn) => {
    const result = queue.then(fn);
    queue = result.catch(() => {});
    return result;
  };
  const pullPage = async () => {
    // Nothing more comes out once the caller aborts, not even what is already fetched.
    if (signal?.aborted) throw new GraphApiError("the operation was aborted", { kind: "aborted" });
    if (done) return undefined;
    stream ??= open();
    const page = await (await stream).nextPage();
    if (page === undefined) done = true;
    return page;
  };
  const pullItem = async () => {
    if (signal?.aborted) throw new GraphApiError("the operation was aborted", { kind: "aborted" });
    while (buffer.length === 0) {
      const page = await pullPage();
      if (page === undefined) return undefined;
      buffer = Array.isArray(page.data) ? [...page.data] : [];
    }
    return buffer.shift();
  };
  const iterator = (pull) => ({
    next: () => serial(pull).then((value) => ({ done: value === undefined, value })),
    return: async () => {
      done = true;
      buffer = [];
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  });
  return {
    [Symbol.asyncIterator]: () => iterator(pullItem),
    pages: () => ({ [Symbol.asyncIterator]: () => iterator(pullPage) }),
    toArray: (options) =>
      serial(async () => {
        const limit = options?.limit;
        if (!Number.isInteger(limit) || limit <= 0) {
          throw new GraphApiError("toArray needs { limit: n } with a positive whole number", { kind: "invalid_argument" });
        }
        const out = [];
        while (out.length < limit) {
          const item = await pullItem();
          if (item === undefined) break;
          out.push(item);
        }
        return out;
      }),
  };
}
