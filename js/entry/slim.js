// Bring your own wasm: call initWasm(moduleOrUrlOrBytes) before the first call.
import { defineApi } from "../core.js";
import { GraphApiError } from "../core.js";

const api = defineApi({
  loadSync: null,
  async loadAsync() {
    throw new GraphApiError(
      "graph-conversations/slim: call initWasm(module | URL | bytes) before using the client",
      { kind: "invalid_argument" },
    );
  },
});

export { GraphApiError };
export const { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm, Inbox, WebhookReceiver } = api;
