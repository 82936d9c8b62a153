// Runs every case of the shared client and webhook suites against the simulator that serves this page, and
// reports each result in window.__results ({ name, ok, ms, error }) for the Node runner.
import * as api from "graph-conversations";
import { simClient } from "./sim.mjs";
import { cases as clientCases } from "./client.suite.mjs";
import { cases as webhookCases } from "./webhooks.suite.mjs";

const cases = { ...clientCases, ...webhookCases };

const CASE_TIMEOUT_MS = 30_000;
const sim = simClient(location.origin);
const results = (window.__results = []);
window.__caseCount = Object.keys(cases).length;

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const list = document.querySelector("#cases");
for (const [name, run] of Object.entries(cases)) {
  const item = document.createElement("li");
  item.textContent = name;
  list.append(item);
  const start = performance.now();
  let result;
  try {
    await sim.reset();
    await withTimeout(Promise.resolve().then(() => run(api, sim)), CASE_TIMEOUT_MS);
    result = { name, ok: true };
  } catch (e) {
    result = { name, ok: false, error: e instanceof Error ? `${e.stack ?? e}` : `thrown: ${JSON.stringify(e)}` };
    const detail = document.createElement("pre");
    detail.textContent = result.error;
    item.append(detail);
  }
  result.ms = Math.round(performance.now() - start);
  item.className = result.ok ? "ok" : "failed";
  item.firstChild.textContent += ` (${result.ms} ms)`;
  results.push(result);
}
const failed = results.filter((r) => !r.ok).length;
document.querySelector("#summary").textContent = `${results.length} cases, ${failed} failed`;
window.__done = true;
