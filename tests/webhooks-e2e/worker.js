// The receiver app as a Cloudflare Worker (bundled as wrangler does, run by Miniflare). The guard
// (tests/runtimes/workerd/guard.js) first: production refuses to compile wasm from bytes.
import "./workerd/guard.js";
import * as api from "graph-conversations";
import { createApp } from "./app.mjs";
import { GRAPH_LAG_MS } from "./settings.mjs";

let app;
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/__guard") return Response.json(globalThis.__wasmGuard);
    app ??= createApp(api, { simUrl: env.GRAPH_BASE_URL, appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN, graphLagMs: GRAPH_LAG_MS });
    return (await app)(request);
  },
};
