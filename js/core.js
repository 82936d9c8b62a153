// The runtime-independent part of the package. Each entry (node, workerd, browser, slim) calls
// defineApi with its own way of loading the .wasm; nothing is loaded until the first call.
// The classes here only forward to the wasm-bindgen classes once the module is ready, so their
// types are the generated ones (see index.d.ts).

import * as glue from "./wasm/graph_conversations.js";
import { GraphApiError } from "__RUNTIME_JS__";

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

  async function initWasm(input) {
    if (loaded) return;
    if (input !== undefined) {
      if (instance === null) {
        instance = (async () => {
          if (input instanceof WebAssembly.Module) glue.initSync({ module: input });
          else await glue.default({ module_or_path: input });
          markLoaded();
        })();
        instance.catch(() => { instance = null; });
      }
      await instance;
      return;
    }
    if (loadSync) {
      loadSync();
      markLoaded();
      return;
    }
    if (instance === null) {
      instance = loadAsync().then(markLoaded);
      instance.catch(() => { instance = null; });
    }
    await instance;
  }

  function trySyncInit() {
    if (!loaded && loadSync) {
      loadSync();
      markLoaded();
    }
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

    async listConversations(pageId, options) {
      return (await this.#client()).listConversations(pageId, options);
    }
    async findConversation(pageId, options) {
      return (await this.#client()).findConversation(pageId, options);
    }
    async getConversation(conversationId, options) {
      return (await this.#client()).getConversation(conversationId, options);
    }
    async listMessages(conversationId, options) {
      return (await this.#client()).listMessages(conversationId, options);
    }
    async getMessage(messageId, options) {
      return (await this.#client()).getMessage(messageId, options);
    }
    conversations(pageId, options) {
      return lazyStream(async () => (await this.#client()).conversations(pageId, options));
    }
    messages(conversationId, options) {
      return lazyStream(async () => (await this.#client()).messages(conversationId, options));
    }
    syncInbox(pageId, options) {
      return lazyStream(async () => (await this.#client()).syncInbox(pageId, options));
    }
  }

  async function computeAppSecretProof(accessToken, appSecret, time) {
    await ready();
    return glue.computeAppSecretProof(accessToken, appSecret, time);
  }

  return { ConversationsClient, computeAppSecretProof, initWasm };
}

// An AsyncIterable (with .pages() and .toArray()) whose underlying stream is made on first use.
function lazyStream(open, pages = false) {
  let stream = null;
  const get = async () => {
    stream ??= open().then((s) => (pages ? s.pages() : s));
    return stream;
  };
  return {
    [Symbol.asyncIterator]() {
      return {
        next: async () => (await get()).next(),
        return: async () => (await get()).return(),
        [Symbol.asyncIterator]() { return this; },
      };
    },
    pages() {
      return lazyStream(async () => (await open()).pages(), false);
    },
    async toArray(options) {
      return (await get()).toArray(options);
    },
  };
}
