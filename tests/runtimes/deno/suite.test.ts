// The shared client and webhook suites (tests/js/client.suite.mjs and webhooks.suite.mjs, copied
// beside this folder) in Deno: one Deno test per case, against the simulator whose URL follows `--`. The package is resolved the
// way Deno users get it (package.json + node_modules, `node` export condition), with the README's
// narrowest permissions. Run by scripts/test-runtimes.sh as
//   deno test --allow-net=127.0.0.1:PORT --allow-read=node_modules/graph-conversations/wasm \
//     deno/suite.test.ts -- http://127.0.0.1:PORT
import * as api from "graph-conversations";
import { cases } from "../client.suite.mjs";
import { cases as webhookCases } from "../webhooks.suite.mjs";
import { simClient } from "../sim.mjs";

const [simUrl] = Deno.args;
if (!simUrl) throw new Error("pass the simulator URL after --");
const sim = simClient(simUrl);

for (const [name, run] of Object.entries({ ...cases, ...webhookCases })) {
  Deno.test(name, async () => {
    await sim.reset();
    await run(api, sim);
  });
}
