// The test's Worker: the guard first, then the README's Worker exactly as bundled.
import "./guard.js";
import worker from "./worker.js";

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__guard") return Response.json(globalThis.__wasmGuard);
    return worker.fetch(request, env, ctx);
  },
};
