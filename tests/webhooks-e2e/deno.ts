// The receiver app under Deno.serve: `deno run --allow-net=… --allow-read=… deno.ts SIM_URL`
// (narrow permissions: the simulator, this listener, the package's wasm); prints
// `listening on http://127.0.0.1:PORT` once it accepts connections.
import * as api from "graph-conversations";
import { createApp } from "./app.mjs";
import { APP_SECRET, GRAPH_LAG_MS, VERIFY_TOKEN } from "./settings.mjs";

const app = await createApp(api, { simUrl: Deno.args[0], appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphLagMs: GRAPH_LAG_MS });
Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[1] ?? 0),
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, app);
