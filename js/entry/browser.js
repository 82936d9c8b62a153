// Browsers and bundlers (Vite, webpack, Parcel): the .wasm is fetched and compiled
// asynchronously on first use, from next to this file (bundlers emit it as an asset).
import init from "../wasm/graph_conversations.js";
import { defineApi } from "../core.js";

const api = defineApi({
  loadSync: null,
  async loadAsync() {
    await init({ module_or_path: new URL("../wasm/graph_conversations_bg.wasm", import.meta.url) });
  },
});

export { GraphApiError } from "../core.js";
export const { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm, Inbox, WebhookReceiver } = api;
