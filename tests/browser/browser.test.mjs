// The shared client and webhook suites (tests/js/client.suite.mjs, webhooks.suite.mjs) in headless
// Chromium (playwright-core driving /usr/bin/chromium), one test per case, against graph-sim
// serving both the page and the Graph endpoints (one origin). scripts/test-browser.sh stages target/browser-www/:
// graph-conversations/ (the installed package) and suite/ (the page, the suites, sim.mjs, the
// webhook fixtures).
// The README's plain-page and Vite snippets run in Chromium in tests/runtimes/browser.test.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launchChromium, root, startSim } from "../js/launch.mjs";

const www = `${root}/target/browser-www`;
const artifacts = `${root}/target/artifacts`;
mkdirSync(artifacts, { recursive: true });

// The suites as staged for the page (the webhook suite needs its generated fixtures beside it).
const { cases: clientCases } = await import(`${www}/suite/client.suite.mjs`);
const { cases: webhookCases } = await import(`${www}/suite/webhooks.suite.mjs`);
const names = Object.keys({ ...clientCases, ...webhookCases });
let browser, sim, page;
const problems = [];
const requests = [];

before(async () => {
  browser = await launchChromium();
  sim = await startSim(["--www", www, "--rate", "0", "--seed", "7"]);
  page = await browser.newPage();
  // What would make a clean page fail.
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.stack ?? e}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${sim.url}/suite/`);
});
after(async () => {
  await page?.screenshot({ path: `${artifacts}/browser-suite.png`, fullPage: true });
  await browser?.close();
  sim?.stop();
});

describe("shared client and webhook suites in Chromium", () => {
  /** The page's result for one case, once it has one (or the reason it never will). */
  async function result(name) {
    const handle = await page.waitForFunction(
      (n) => window.__fatal ? { fatal: window.__fatal } : (window.__results?.find((r) => r.name === n) ?? (window.__done && { missing: true })),
      name,
      { timeout: 60_000, polling: 100 },
    );
    return handle.jsonValue();
  }

  for (const name of names) {
    test(name, async () => {
      const r = await result(name);
      assert.ok(!r.fatal, `the suite page failed: ${r.fatal}\n${problems.join("\n")}`);
      assert.ok(!r.missing, "the page did not run this case");
      assert.ok(r.ok, `failed in Chromium (${r.ms} ms):\n${r.error}`);
    });
  }

  test("the page ran every case of the suite, and nothing left 127.0.0.1", async () => {
    await page.waitForFunction(() => window.__done === true || window.__fatal, null, { timeout: 60_000 });
    const { ran, count, fatal } = await page.evaluate(() => ({
      ran: (window.__results ?? []).map((r) => r.name), count: window.__caseCount, fatal: window.__fatal,
    }));
    assert.equal(fatal, undefined, "no fatal page error");
    assert.equal(count, names.length, "the page loaded the same suite as this runner");
    assert.deepEqual(ran, names, `the page reported ${ran.length} of ${names.length} cases`);
    const offsite = requests.filter((u) => !u.startsWith("http://127.0.0.1:") && !u.startsWith("data:"));
    assert.deepEqual(offsite, [], "every request went to the simulator");
  });
});
