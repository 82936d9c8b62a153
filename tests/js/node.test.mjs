// The shared client suite in Node, against graph-sim, importing the installed package by name.
import { test, before, after } from "node:test";
import * as api from "graph-conversations";
import { startSim } from "./launch.mjs";
import { cases } from "./client.suite.mjs";

let sim;
before(async () => { sim = await startSim(["--seed", "7", "--rate", "0"]); });
after(() => sim.stop());

for (const [name, run] of Object.entries(cases)) {
  test(name, async () => {
    await sim.reset();
    await run(api, sim);
  });
}
