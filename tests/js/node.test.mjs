// The shared client and webhook suites in Node, against graph-sim, importing the installed
// package by name.
import { test, before, after } from "node:test";
import * as api from "graph-conversations";
import { startSim } from "./launch.mjs";
import { cases } from "./client.suite.mjs";
import { cases as webhookCases } from "./webhooks.suite.mjs";

let sim;
before(async () => { sim = await startSim(["--seed", "7", "--rate", "0"]); });
after(() => sim.stop());

for (const [name, run] of Object.entries({ ...cases, ...webhookCases })) {
  test(name, async () => {
    await sim.reset();
    await run(api, sim);
  });
}
