// Node >= 18, Bun, and Deno's npm: imports. The .wasm is read from disk on first use.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync } from "../wasm/graph_conversations.js";
import { defineApi } from "../core.js";

const api = defineApi({
  loadSync() {
    const path = fileURLToPath(new URL("../wasm/graph_conversations_bg.wasm", import.meta.url));
    initSync({ module: readFileSync(path) });
  },
  // Webhook signatures with node:crypto: constant time, and no WebCrypto thread-pool round trip.
  hmacVerifier: (secret) => (bytes, tag) =>
    tag.length === 32 && timingSafeEqual(createHmac("sha256", secret).update(bytes).digest(), tag),
});

export { GraphApiError } from "../core.js";
export const { ConversationsClient, clientDefaults, computeAppSecretProof, initWasm, Inbox, WebhookReceiver } = api;
