// The package in headless Chromium (playwright-core driving /usr/bin/chromium), against graph-sim
// serving both the pages and the Graph endpoints (one origin). scripts/test-browser.sh stages:
//   target/browser-www/   graph-conversations/ (the installed package), suite/, plain/
//   target/browser-vite/  a Vite app with the packed tarball installed; its build in dist/
// 1. the shared client suite (tests/js/client.suite.mjs), one test per case;
// 2. a plain <script type="module"> page importing the browser entry;
// 3. the Vite production build.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSim } from "../js/sim.mjs";
import { cases, PAGE } from "../js/client.suite.mjs";
import { launchChromium } from "../js/chromium.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const www = `${root}target/browser-www`;
const viteDist = `${root}target/browser-vite/dist`;
const artifacts = `${root}target/artifacts`;
mkdirSync(artifacts, { recursive: true });

let browser;
const sims = new Set();
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const sim of sims) sim.stop();
});

async function serve(dir, args = ["--rate", "0"]) {
  const sim = await startSim(["--www", dir, ...args]);
  sims.add(sim);
  return sim;
}

/** A page on `url` that records what would make a clean page fail. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.stack ?? e}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, problems, requests };
}

function offsite(requests) {
  return requests.filter((u) => !u.startsWith("http://127.0.0.1:") && !u.startsWith("data:"));
}

// ---------------------------------------------------------------------------------------------
describe("shared client suite in Chromium", () => {
  const names = Object.keys(cases);
  let page, problems, requests, sim;
  before(async () => {
    sim = await serve(www, ["--rate", "0", "--seed", "7"]);
    ({ page, problems, requests } = await open(`${sim.url}/suite/`));
  });
  after(async () => {
    await page?.screenshot({ path: `${artifacts}/browser-suite.png`, fullPage: true });
  });

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
    assert.deepEqual(offsite(requests), [], "every request went to the simulator");
  });
});

// ---------------------------------------------------------------------------------------------
/** Opens a page that lists threads (show-threads.mjs) and checks them against Graph's answer. */
async function checkThreadList(sim, url, screenshot) {
  const { page, problems, requests } = await open(url);
  try {
    await page.waitForSelector("body[data-state=done], body[data-state=failed]", { timeout: 30_000 });
    const state = await page.getAttribute("body", "data-state");
    assert.equal(state, "done", `the page failed: ${await page.textContent("#status")}\n${problems.join("\n")}`);
    const shown = await page.$$eval("#threads li", (items) => items.map((li) => li.dataset.threadId));
    // The same call made directly against the simulator, without the package.
    const res = await fetch(`${sim.url}/v26.0/${PAGE.id}/conversations?platform=messenger&limit=10`, {
      headers: { authorization: `Bearer ${PAGE.token}` },
    });
    const expected = (await res.json()).data.map((t) => t.id);
    assert.equal(expected.length, 10, "the simulator lists 10 threads");
    assert.deepEqual(shown, expected, "the page shows the simulator's threads, in order");
    assert.equal(await page.textContent("#status"), "10 threads");
    assert.deepEqual(problems, [], "no console errors or warnings (e.g. a wasm MIME type warning)");
    assert.deepEqual(offsite(requests), [], "every request went to the simulator");
    const wasm = requests.filter((u) => u.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `the .wasm was fetched once (${wasm})`);
    return { wasm: wasm[0] };
  } finally {
    await page.screenshot({ path: `${artifacts}/${screenshot}`, fullPage: true });
    await page.close();
  }
}

describe("plain <script type=module> page, no bundler", () => {
  test("imports the browser entry and lists threads from the simulator", async () => {
    const sim = await serve(www);
    const { wasm } = await checkThreadList(sim, `${sim.url}/plain/`, "browser-plain.png");
    assert.equal(new URL(wasm).pathname, "/graph-conversations/wasm/graph_conversations_bg.wasm");
  });
});

describe("Vite production build", () => {
  test("the build used the browser entry and emitted the .wasm as an asset", () => {
    const assets = readdirSync(`${viteDist}/assets`);
    assert.ok(assets.some((f) => f.endsWith(".wasm")), `a .wasm asset in dist/assets (${assets})`);
    const js = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(`${viteDist}/assets/${f}`, "utf8")).join("\n");
    assert.ok(js.includes("listConversations"), "the client is in the bundle");
    assert.ok(!/node:fs|readFileSync/.test(js), "the Node entry (node:fs) is not in the bundle");
  });

  test("the built app lists threads from the simulator", async () => {
    const sim = await serve(viteDist);
    const { wasm } = await checkThreadList(sim, `${sim.url}/`, "browser-vite.png");
    assert.match(new URL(wasm).pathname, /^\/assets\/graph_conversations_bg-[\w-]+\.wasm$/);
  });
});
