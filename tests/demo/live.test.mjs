// The live demo end to end: `make demo`'s stack (graph-sim with several Pages and an Instagram
// account, the inbox service in workerd receiving its webhooks, the demo's server) driven in
// headless Chromium. Changes made through graph-sim's control API show in the open thread
// without a reload; a newly connected account backfills to graph-sim's thread list; the service
// process is killed and comes back with nothing lost; and no token or API key ever reaches the
// page. Run by scripts/test-demo.sh; screenshots go to target/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launchChromium, root } from "../js/launch.mjs";
import { startDemo } from "./stack.mjs";

const artifacts = `${root}/target/artifacts`;
mkdirSync(artifacts, { recursive: true });

const PAGE = { id: "106000000000001", token: "sim-page-token" };
const IG = { id: "17841400000000001", token: "sim-ig-token" };
const NEW_PAGE = "106000000100002";
const API_KEY = `demo-test-key-${process.pid}`;
const SIM_ARGS = ["--messenger-threads", "30", "--instagram-threads", "12", "--messages", "1..30", "--pages", "2", "--page-threads", "120"];
const TIMEOUT = { timeout: 120_000 };
const SHOWS_WITHIN_MS = 2_000; // the issue's bar: a message sent shows in the open thread within 2 s

let stack;
let browser;
let page;
const pageErrors = [];
const requests = []; // everything the page sent
const bodies = []; // every response body the page received (streams excepted: their events land in the DOM)
const timings = {};

const call = async (path, body) => {
  const res = await fetch(`${stack.url}${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text);
};
const truth = (account, platform) => call(`/__sim/truth?platform=${platform}&account=${account}`);
const account = (id) => page.locator(`#accounts [data-account-id="${id}"]`);
const message = (mid) => page.locator(`#thread-view [data-mid="${mid}"]`);

before(async () => {
  stack = await startDemo(SIM_ARGS, { DEMO_TRAFFIC: "0", DEMO_API_KEY: API_KEY, DEMO_CONNECT: `${PAGE.id},${IG.id}` });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (e) => pageErrors.push(e));
  page.on("request", (r) => requests.push({ url: r.url(), type: r.resourceType(), headers: r.headers(), body: r.postData() ?? "" }));
  page.on("response", async (r) => {
    if ((r.headers()["content-type"] ?? "").includes("text/event-stream")) return;
    try {
      bodies.push((await r.body()).toString("utf8"));
    } catch {
      // a body the page navigated away from
    }
  });
  page.setDefaultTimeout(30_000);
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Opens the account's inbox and its newest thread; answers that thread's key and conversation id. */
async function openNewestThread(accountId, platform) {
  await account(accountId).click();
  const first = page.locator("#thread-list [role=option]").first();
  await first.waitFor();
  const key = await first.getAttribute("data-key");
  await first.click();
  const userId = key.split(":")[2];
  const thread = (await truth(accountId, platform)).threads.find((t) => t.customer_id === userId);
  assert.ok(thread, `graph-sim has the thread of ${key}`);
  return { key, conversationId: thread.id };
}

async function shows(mid) {
  const t0 = Date.now();
  await message(mid).waitFor({ timeout: SHOWS_WITHIN_MS });
  return Date.now() - t0;
}

test("the live inbox loads: the connected accounts are live, and the page reads only the demo's server", TIMEOUT, async () => {
  await page.goto(`${stack.url}/`);
  await account(PAGE.id).waitFor();
  await page.waitForSelector(`#accounts [data-account-id="${PAGE.id}"][data-status="live"]`, { timeout: 60_000 });
  await page.waitForSelector(`#accounts [data-account-id="${IG.id}"][data-status="live"]`, { timeout: 60_000 });
  assert.match(await page.locator("#connection-state").innerText(), /live/i);
  assert.ok(await page.locator('a[href="/direct/"], a[href="./direct/"], a[href="direct/"]').count(), "the direct mode is linked");
});

test("a message sent in Messenger, then a reaction and an edit, show in the open thread without a reload", TIMEOUT, async () => {
  const { conversationId } = await openNewestThread(PAGE.id, "messenger");
  const before = Date.now();
  const sent = await call("/__sim/messages", { conversation_id: conversationId, text: "Is the terrace open today?" });
  timings.webhookToPixelsMs = await shows(sent.id);
  timings.sendToPixelsMs = Date.now() - before;
  assert.match(await message(sent.id).innerText(), /Is the terrace open today\?/);
  await call("/__sim/reactions", { message_id: sent.id, reaction: "love" });
  await message(sent.id).locator(".reactions").waitFor({ timeout: SHOWS_WITHIN_MS });
  await call("/__sim/edits", { message_id: sent.id, text: "Is the terrace open tonight?" });
  await message(sent.id).locator("text=Is the terrace open tonight?").waitFor({ timeout: SHOWS_WITHIN_MS });
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1, "no reload");
});

test("a message unsent on Instagram disappears from the open thread", TIMEOUT, async () => {
  const { conversationId } = await openNewestThread(IG.id, "instagram");
  const sent = await call("/__sim/messages", { conversation_id: conversationId, text: "oops, wrong chat" });
  await shows(sent.id);
  await call("/__sim/unsends", { message_id: sent.id });
  await message(sent.id).waitFor({ state: "detached", timeout: SHOWS_WITHIN_MS });
});

test("a thread that gets a message moves to the top with an unread badge", TIMEOUT, async () => {
  await account(PAGE.id).click();
  const options = page.locator("#thread-list [role=option]");
  await options.nth(3).waitFor();
  const key = await options.nth(3).getAttribute("data-key");
  const thread = (await truth(PAGE.id, "messenger")).threads.find((t) => t.customer_id === key.split(":")[2]);
  await call("/__sim/messages", { conversation_id: thread.id, text: "Hello again" });
  await page.waitForFunction((k) => document.querySelector("#thread-list [role=option]")?.getAttribute("data-key") === k, key, { timeout: SHOWS_WITHIN_MS });
  await options.first().locator(".unread-badge").waitFor({ timeout: SHOWS_WITHIN_MS });
});

test("connecting another account from the page backfills it to graph-sim's thread list", TIMEOUT, async () => {
  const t0 = Date.now();
  await page.selectOption("#connect-account select", { value: NEW_PAGE }).catch(() => page.selectOption("#connect-account", { value: NEW_PAGE }));
  await page.locator("#connect-account button").click();
  await account(NEW_PAGE).waitFor();
  await page.waitForSelector(`#accounts [data-account-id="${NEW_PAGE}"][data-status="live"]`, { timeout: 60_000 });
  timings.backfillMs = Date.now() - t0;
  // The service's threads (through the demo's server, as the page reads them) are graph-sim's listed ones.
  const keys = [];
  let cursor;
  do {
    const page1 = await call(`/api/accounts/${NEW_PAGE}/threads?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    keys.push(...page1.data.map((t) => t.userId));
    cursor = page1.next;
  } while (cursor);
  const listed = (await truth(NEW_PAGE, "messenger")).threads.filter((t) => t.listed).map((t) => t.customer_id);
  assert.deepEqual([...keys].sort(), [...listed].sort(), "every listed thread, once");
  await account(NEW_PAGE).click();
  const shown = await page.locator("#thread-list [role=option]").evaluateAll((els) => els.map((e) => e.getAttribute("data-key").split(":")[2]));
  assert.deepEqual(shown, keys.slice(0, shown.length), "the page lists them newest first");
});

test("the service process is killed and comes back: nothing lost, live again", TIMEOUT, async () => {
  const { conversationId } = await openNewestThread(PAGE.id, "messenger");
  const first = await call("/__sim/messages", { conversation_id: conversationId, text: "before the crash" });
  await shows(first.id);
  const info = await call("/demo/info");
  await call("/demo/restart", {});
  // While it is down graph-sim's delivery fails and is retried; the page reconnects by itself.
  const during = await call("/__sim/messages", { conversation_id: conversationId, text: "while it restarts" });
  await page.waitForFunction((n) => fetch("/demo/info").then((r) => r.json()).then((i) => i.service.restarts > n), info.service.restarts, { timeout: 30_000 });
  await message(during.id).waitFor({ timeout: 30_000 });
  await page.waitForSelector("#connection-state:has-text('live')", { timeout: 30_000 });
  const after = await call("/__sim/messages", { conversation_id: conversationId, text: "after the restart" });
  await shows(after.id);
  assert.equal(await message(first.id).count(), 1, "what came before the crash is still there");
});

test("the thread list works from the keyboard", TIMEOUT, async () => {
  await account(PAGE.id).click();
  const options = page.locator("#thread-list [role=option]");
  await options.nth(1).waitFor();
  await options.first().focus();
  await page.keyboard.press("ArrowDown");
  const second = await options.nth(1).getAttribute("data-key");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-key")), second, "ArrowDown moves to the next thread");
  await page.keyboard.press("Enter");
  await page.waitForFunction((k) => document.querySelector(`#thread-list [data-key="${k}"]`)?.getAttribute("aria-selected") === "true", second);
});

test("at a phone's width nothing scrolls sideways", TIMEOUT, async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${stack.url}/`);
  await phone.locator(`#accounts [data-account-id="${PAGE.id}"]`).waitFor();
  await phone.locator(`#accounts [data-account-id="${PAGE.id}"]`).click();
  await phone.locator("#thread-list [role=option]").first().waitFor();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide`);
  await phone.screenshot({ path: `${artifacts}/live-phone.png`, fullPage: true });
  await phone.close();
});

test("no token and no API key reached the page: requests, responses, storage, DOM", TIMEOUT, async () => {
  await page.screenshot({ path: `${artifacts}/live.png` });
  const secrets = [PAGE.token, IG.token, API_KEY];
  const origin = new URL(stack.url).origin;
  for (const r of requests) {
    // Photos and videos in messages are Meta's signed media URLs (no token), loaded as Graph gives them.
    if (!["image", "media"].includes(r.type)) assert.equal(new URL(r.url).origin, origin, `the page called only its own server: ${r.url}`);
    assert.ok(!new URL(r.url).pathname.startsWith("/__sim/"), `the live page never reads graph-sim's control API: ${r.url}`);
    const text = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
    for (const s of secrets) assert.ok(!text.includes(s), `a secret in a request: ${r.url}`);
  }
  assert.ok(bodies.length > 10, "responses were captured");
  for (const b of bodies) for (const s of secrets) assert.ok(!b.includes(s), `a secret in a response: ${b.slice(0, 120)}`);
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  const dom = await page.content();
  for (const s of secrets) {
    assert.ok(!stored.includes(s), "no secret in the page's storage");
    assert.ok(!dom.includes(s), "no secret in the DOM");
  }
  assert.deepEqual(pageErrors, [], "no uncaught errors on the page");
  console.log(JSON.stringify({ liveDemo: timings }));
});

test("Ctrl-C stops the demo: the service, graph-sim and the server", TIMEOUT, async () => {
  await browser.close();
  browser = null;
  const url = stack.url;
  const { code } = await stack.stop();
  stack = null;
  assert.equal(code, 130, "the demo exits as interrupted");
  await assert.rejects(fetch(`${url}/demo/info`), "nothing listens any more");
});
