// The shared client and webhook suites (tests/js/client.suite.mjs, webhooks.suite.mjs) as a Worker, behind the same guard as the
// README's Worker: `GET /` lists the cases, `GET /?case=NAME` runs one against the simulator at
// env.GRAPH_BASE_URL and answers { ok, error }. Bundled and run by workerd.test.mjs.
import "./guard.js";
import * as api from "graph-conversations";
import { cases as clientCases } from "../client.suite.mjs";
import { cases as webhookCases } from "../webhooks.suite.mjs";
import { simClient } from "../sim.mjs";

const cases = { ...clientCases, ...webhookCases };

export default {
  async fetch(request, env) {
    const name = new URL(request.url).searchParams.get("case");
    if (name === null) return Response.json(Object.keys(cases));
    const run = cases[name];
    if (!run) return Response.json({ ok: false, error: `no case named ${name}` }, { status: 404 });
    const sim = simClient(env.GRAPH_BASE_URL);
    try {
      await sim.reset();
      await run(api, sim);
      return Response.json({ ok: true, guard: globalThis.__wasmGuard });
    } catch (e) {
      return Response.json({ ok: false, error: e instanceof Error ? `${e.stack ?? e}` : `thrown: ${JSON.stringify(e)}` });
    }
  },
};
