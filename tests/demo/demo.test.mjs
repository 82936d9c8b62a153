// The demo's direct mode end to end (/direct/: the token in the tab, Graph read by the package in
// the browser): scripts/demo.sh's stack with no account connected to the service and no live
// traffic, driven in headless Chromium with playwright-core. What the page shows and exports is
// checked against what the simulator serves (plain Graph calls and its /__sim/ control API,
// through the demo's server, which passes them to graph-sim).
// Run by scripts/test-demo.sh; screenshots go to target/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { simClient } from "../js/sim.mjs";
import { graph } from "../js/graph.mjs";
import { PAGE } from "../js/client.suite.mjs";
import { launchChromium, root } from "../js/launch.mjs";
import { startDemo } from "./stack.mjs";

const artifacts = `${root}/target/artifacts`;
mkdirSync(artifacts, { recursive: true });

const UNAVAILABLE = "details not available from Meta (only the 20 newest are kept)";
// A small inbox whose sync takes several seconds at Meta's 2 calls/s: threads with up to 80
// messages need their older message ids paged, so cancel and resume have time to act.
const SIM_ARGS = ["--messenger-threads", "40", "--instagram-threads", "12", "--messages", "10..80"];
const TIMEOUT = { timeout: 90_000 };

let stack;
let sim;
let browser;
let page;
let inbox; // the Page's Messenger threads as Graph serves them, newest first
const pageErrors = [];

const displayName = (p) => p.name ?? (p.username ? `@${p.username}` : p.id);
const customerOf = (thread, selfId) => thread.participants.data.find((p) => p.id !== selfId);
const text = (selector) => page.locator(selector).first().innerText();
const shot = (name) => page.screenshot({ path: `${artifacts}/demo-${name}.png` });

before(async () => {
  stack = await startDemo(SIM_ARGS, { DEMO_TRAFFIC: "0", DEMO_CONNECT: "" });
  sim = simClient(stack.url);
  inbox = await graph(stack.url, PAGE.token).inbox(PAGE.id, "messenger");
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e));
  page.setDefaultTimeout(30_000);
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function scrollToEnd(scroller, doneSelector, doneText) {
  for (;;) {
    await page.locator(scroller).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    if ((await page.locator(doneSelector).innerText()).includes(doneText)) return;
    await page.waitForTimeout(200);
  }
}

async function exportLines() {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#sync-export")]);
  assert.match(download.suggestedFilename(), /^inbox-106000000000001-messenger-.*\.ndjson$/);
  const body = readFileSync(await download.path(), "utf8");
  assert.ok(body.endsWith("\n"), "NDJSON ends with a newline");
  return body.trimEnd().split("\n").map((line) => JSON.parse(line));
}

/** The export holds every thread once, in Graph's order, with every message id, details for the newest 20. */
function assertMatchesInbox(lines) {
  assert.deepEqual(lines.map((l) => l.conversation.id), inbox.map((t) => t.id), "the inbox's threads, newest first, each once");
  for (const [i, line] of lines.entries()) {
    assert.deepEqual(Object.keys(line).sort(), ["conversation", "messages"]);
    const ids = line.messages.map((m) => m.id);
    assert.deepEqual(ids, inbox[i].messageIds, `every message of ${line.conversation.id}, newest first`);
    line.messages.forEach((m, j) => assert.equal(m.from !== undefined, j < 20, `details only for the newest 20 (${m.id})`));
    assert.ok(line.conversation.participants?.data?.length >= 2, "conversation has participants");
    assert.ok(line.conversation.updated_time, "conversation has updated_time");
  }
}

async function waitSync(state) {
  await page.waitForSelector(`.sync[data-state="${state}"]`, { timeout: 60_000 });
}

test("the page loads on the simulator and connects to its Messenger Page", TIMEOUT, async () => {
  await page.goto(`${stack.url}/direct/`);
  await page.waitForSelector("#connect-status:has-text('Connected')");
  assert.equal(await page.locator("#preset option").count(), 3, "a preset per simulator account and inbox");
  assert.equal(await page.inputValue("#base-url"), stack.url, "base URL defaults to the page's origin");
  assert.equal(await page.inputValue("#token"), PAGE.token, "token prefilled from /__sim/accounts");
  assert.equal(await page.inputValue("#account"), PAGE.id);
  assert.equal(await page.inputValue("#platform"), "messenger");
  assert.equal(await page.inputValue("#api-version"), "v26.0");
  assert.match(await text(".token-note"), /production dashboard should call Graph through a server or Worker/);
  for (const id of ["base-url", "token", "account", "platform", "api-version", "rps", "find-user", "sync-bar"]) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `#${id} has a label`);
  }
});

test("lists threads with participants, snippet, time and unread count, loading more on scroll", TIMEOUT, async () => {
  await page.waitForSelector(".thread");
  assert.equal(await page.locator(".thread").count(), 20, "the first page");
  const first = page.locator(".thread").first();
  const customer = customerOf(inbox[0], PAGE.id);
  assert.equal(await first.locator(".thread-name").innerText(), displayName(customer));
  assert.ok((await first.locator(".thread-time").innerText()).length > 0, "a time");
  const listed = await graph(stack.url, PAGE.token).get(`${PAGE.id}/conversations`, {
    platform: "messenger", fields: "snippet,unread_count", limit: "20",
  });
  for (const [i, t] of listed.data.entries()) {
    const item = page.locator(".thread").nth(i);
    assert.equal(await item.locator(".thread-snippet").innerText(), t.snippet ?? "", `snippet of ${t.id}`);
    assert.equal(await item.locator(".badge-unread").count(), t.unread_count ? 1 : 0, `unread badge of ${t.id}`);
    if (t.unread_count) assert.equal(await item.locator(".badge-unread").innerText(), String(t.unread_count));
  }
  await scrollToEnd("#thread-scroll", "#thread-more", "threads loaded");
  const ids = await page.locator(".thread").evaluateAll((els) => els.map((el) => el.dataset.id));
  assert.deepEqual(ids, inbox.map((t) => t.id), "every listed thread, in Graph's order");
  const [account] = await sim.accounts();
  assert.equal(ids.length, account.inboxes.find((i) => i.platform === "messenger").listed_threads);
});

test("the thread list works from the keyboard", TIMEOUT, async () => {
  await page.locator("#thread-scroll").evaluate((el) => el.scrollTo(0, 0));
  await page.locator('.thread[tabindex="0"]').focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const third = inbox[2];
  await page.waitForSelector(`#thread-title:has-text("${displayName(customerOf(third, PAGE.id))}")`);
  assert.equal(await page.getAttribute(`[data-id="${third.id}"]`, "aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), third.id, "focus stays on the thread");
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), inbox.at(-1).id);
});

test("a thread shows the newest 20 messages in detail and older ones as unavailable", TIMEOUT, async () => {
  const big = inbox.find((t) => t.messageIds.length > 25 && t.messageIds.length <= 40);
  assert.ok(big, "a thread with 26 to 40 messages");
  await page.click(`[data-id="${big.id}"]`);
  await page.waitForSelector(`#thread-meta:has-text("${big.id}")`);
  await page.waitForFunction(() => document.querySelectorAll('#thread-body .msg[data-state="details"]').length === 20);
  await shot("thread");
  await scrollToEnd("#thread-body", "#thread-body > .list-more", "Start of the conversation");
  const ids = await page.locator("#thread-body .msg").evaluateAll((els) => els.map((el) => el.dataset.id));
  assert.deepEqual(ids, big.messageIds, "every message, newest first");
  const oldest = page.locator(`#thread-body .msg[data-id="${big.messageIds.at(-1)}"]`);
  await oldest.locator(`text=${UNAVAILABLE}`).waitFor();
  assert.match(await oldest.innerText(), /kind message_unavailable · code 9000001 · fbtraceId \S+/);
  const details = await page.locator('#thread-body .msg[data-state="details"]').evaluateAll((els) => els.map((el) => el.dataset.id));
  assert.deepEqual(details, big.messageIds.slice(0, 20), "details for exactly the newest 20");
  await shot("thread-older");
});

test("find: the thread with a user opens; an unknown user has none", TIMEOUT, async () => {
  const target = inbox[5];
  const customer = customerOf(target, PAGE.id);
  await page.fill("#find-user", customer.id);
  await page.press("#find-user", "Enter");
  await page.waitForSelector(`#thread-meta:has-text("${target.id}")`);
  assert.equal(await text("#thread-title"), displayName(customer));
  assert.equal(await page.getAttribute(`[data-id="${target.id}"]`, "aria-selected"), "true");
  await page.fill("#find-user", "99999999999999999");
  await page.click("#find button");
  await page.waitForSelector("#find-result:has-text('No thread with that user')");
});

test("errors show their kind and fbtraceId", TIMEOUT, async () => {
  await page.fill("#token", "not-a-valid-token");
  await page.click("#connect button[type=submit]");
  const error = page.locator("#thread-more .error");
  await error.waitFor();
  const shown = await error.innerText();
  assert.match(shown, /kind auth · HTTP \d+ · code 190\b.* · fbtraceId [A-Za-z0-9_-]+/s);
  assert.ok(!shown.includes("not-a-valid-token"), "the token is not echoed");
  await page.selectOption("#preset", "0"); // back to the Messenger Page
  await page.waitForSelector(".thread");
});

test("sync runs to the end; the export matches the simulator's inbox", TIMEOUT, async () => {
  const before = await sim.stats();
  await page.click("#sync-start");
  await waitSync("done");
  assert.equal(await page.getAttribute("#sync-bar", "value"), "100");
  assert.equal(await text("#sync-percent"), "100%");
  assert.equal(await text("#stat-threads"), String(inbox.length));
  const messageTotal = inbox.reduce((n, t) => n + t.messageIds.length, 0);
  assert.equal(await text("#stat-messages"), String(messageTotal));
  const after = await sim.stats();
  assert.equal(after.throttled, before.throttled, "paced at the limit: the simulator throttled nothing");
  assert.equal(await text("#stat-throttled"), "0");
  const requests = Number(await text("#stat-requests"));
  assert.ok(requests > 1 && requests <= after.requests - before.requests, `requests counted (${requests})`);
  assert.match(await text("#sync-status"), new RegExp(`^Done: ${inbox.length} threads and ${messageTotal} messages`));
  assert.match(await page.getAttribute("#sync-chart", "aria-label"), new RegExp(`^Requests over time: ${requests} requests in [\\d.]+ s, [\\d.]+ per second on average, limit 2 per second$`));
  assertMatchesInbox(await exportLines());
  await shot("sync-done");
});

test("a cancelled sync resumes from its checkpoint; together they sync each thread once", TIMEOUT, async () => {
  // syncInbox yields a list page's threads once all of them are complete: smaller pages give
  // checkpoints early enough to cancel after one.
  await page.fill("#sync-page-size", "10");
  await page.click("#sync-start");
  await page.waitForFunction(() => Number(document.querySelector("#stat-threads").textContent) >= 10);
  await page.click("#sync-cancel");
  await waitSync("cancelled");
  const cancelledAt = Number(await text("#stat-threads"));
  assert.ok(cancelledAt < inbox.length, `cancelled part way (${cancelledAt} of ${inbox.length})`);
  assert.match(await text("#sync-status"), /^Cancelled after/);
  const partial = await exportLines();
  assert.deepEqual(partial.map((l) => l.conversation.id), inbox.slice(0, cancelledAt).map((t) => t.id));
  await shot("sync-cancelled");
  assert.equal(await page.isDisabled("#sync-resume"), false);
  await page.click("#sync-resume");
  await waitSync("done");
  assert.equal(await text("#sync-percent"), "100%");
  assert.equal(await text("#stat-threads"), String(inbox.length));
  assertMatchesInbox(await exportLines());
  await page.fill("#sync-page-size", "");
});

test("the Instagram Login preset lists the Instagram account's threads", TIMEOUT, async () => {
  await page.selectOption("#preset", { label: "@kittycafe · Instagram Login (me)" });
  await page.waitForSelector(".thread");
  assert.equal(await page.inputValue("#account"), "me");
  assert.equal(await page.inputValue("#token"), "sim-ig-token");
  const expected = await graph(stack.url, "sim-ig-token").get("me/conversations", { platform: "instagram", fields: "participants", limit: "1" });
  const name = await page.locator(".thread .thread-name").first().innerText();
  assert.equal(name, displayName(expected.data[0].participants.data.find((p) => p.id !== "17841400000000001")));
  await page.selectOption("#preset", "0");
  await page.waitForSelector(".thread");
});

test("screenshot of the dashboard", TIMEOUT, async () => {
  await page.reload();
  await page.waitForSelector(".thread");
  await page.fill("#sync-page-size", "10");
  await page.click("#sync-start");
  const thread = inbox.find((t) => t.messageIds.length > 22 && t.messageIds.length <= 30) ?? inbox[0];
  await page.click(`[data-id="${thread.id}"]`);
  await waitSync("done");
  await scrollToEnd("#thread-body", "#thread-body > .list-more", "Start of the conversation");
  // The newest-20 boundary in view: the last detailed messages above, unavailable ones below.
  const boundary = page.locator(`#thread-body .msg[data-id="${thread.messageIds[20]}"]`);
  await boundary.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await boundary.locator(`text=${UNAVAILABLE}`).waitFor();
  await page.waitForFunction(() => !document.querySelector('#thread-body .msg[data-state="loading"]'));
  await page.screenshot({ path: `${artifacts}/demo.png` });
  assert.deepEqual(pageErrors, [], "no uncaught errors on the page");
});

test("Ctrl-C stops demo.sh and the simulator it started", TIMEOUT, async () => {
  await browser.close();
  browser = null;
  const { code } = await stack.stop();
  stack = null;
  assert.equal(code, 130, "demo.sh exits as interrupted");
  await assert.rejects(fetch(`${stack?.url ?? sim.url}/__sim/stats`), "nothing listens any more");
});
