// The runtime-independent part of the package. Each entry (node, workerd, browser, slim) calls
// defineApi with its own way of loading the .wasm; nothing is loaded until the first call.
// The classes here only forward to the wasm-bindgen classes once the module is ready, so their
// types are the generated ones (see index.d.ts).

import * as glue from "./wasm/graph_conversations.js";
import { GraphApiError, computeAppSecretProof } from "__RUNTIME_JS__";

export { GraphApiError };

// One instantiation per JS realm, whichever entry triggered it.
let instance = null; // Promise while loading, then true
let loaded = false;

function markLoaded() {
  loaded = true;
  instance = Promise.resolve(true);
}

export function defineApi(defaultLoader) {
  // loadSync: () => void (node, workerd) or null; loadAsync: (input?) => Promise<void>.
  const { loadSync, loadAsync } = defaultLoader;

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

  return { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm };
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
