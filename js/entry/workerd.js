// Cloudflare Workers: the .wasm is imported as a compiled module (Workers cannot compile wasm
// from bytes) and instantiated on first use, never at import.
import wasmModule from "../wasm/graph_conversations_bg.wasm";
import { initSync } from "../wasm/graph_conversations.js";
import { defineApi } from "../core.js";

const api = defineApi({
  loadSync() {
    initSync({ module: wasmModule });
  },
});

export { GraphApiError } from "../core.js";
export const { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm, Inbox, WebhookReceiver } = api;
