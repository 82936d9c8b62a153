// @ts-check
// The live inbox: accounts, the chosen account's threads, the open thread and the live panel,
// all read from the demo server on this page's origin (the inbox service behind it). Nothing
// here holds a token or the API key, and nothing imports the package: the service runs it.
import { replace } from "../js/dom.js";
import { displayName } from "../js/people.js";
import { createAccountsView } from "./accounts.js";
import { demoAccounts, listAccounts } from "./api.js";
import { startLivePanel } from "./live-panel.js";
import { accountContext, customerOf } from "./names.js";
import { createStream } from "./stream.js";
import { createThreadList } from "./threads.js";
import { createThreadView } from "./thread-view.js";

const ACCOUNTS_MS = 1000;
const DEMO_ACCOUNTS_MS = 10_000;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * A polite live region that says one thing at a time: what arrives within 1.5 s is said once,
 * together.
 * @param {HTMLElement} region
 */
function announcer(region) {
  /** @type {string[]} */
  let queue = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return (/** @type {string} */ text) => {
    queue.push(text);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const said = queue.length === 1 ? queue[0] : `${queue.length} new messages. ${queue.at(-1)}`;
      queue = [];
      replace(region, said);
    }, 1500);
  };
}
const announce = announcer($("announcer"));

/** The page's address keeps the chosen account and thread: a reload comes back to them. */
const place = {
  read() {
    const q = new URLSearchParams(location.hash.slice(1));
    return { account: q.get("account"), thread: q.get("thread") };
  },
  /** @param {string | null} account @param {string | null} thread */
  write(account, thread) {
    const q = new URLSearchParams();
    if (account) q.set("account", account);
    if (thread) q.set("thread", thread);
    const hash = q.toString();
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
  },
};

/** @type {string | null} */
let selected = null;
/** @type {import("./names.js").AccountContext | null} */
let context = null;
let pending = place.read(); // what the address asked for, until the accounts are known

const accounts = createAccountsView({
  list: $("accounts"),
  count: $("accounts-count"),
  status: $("accounts-status"),
  form: /** @type {HTMLFormElement} */ ($("connect-account")),
  connectStatus: $("connect-status"),
  onSelect: (id) => choose(id),
  onConnected: (account) => {
    choose(account.accountId);
    refreshDemoAccounts();
  },
});

const view = createThreadView({ title: $("thread-title"), meta: $("thread-meta"), body: $("thread-body"), announce });

const narrow = matchMedia("(max-width: 700px)");

const threads = createThreadList({
  list: $("thread-list"),
  scroll: $("thread-scroll"),
  more: /** @type {HTMLButtonElement} */ ($("thread-more")),
  status: $("thread-status"),
  count: $("thread-count"),
  total: (id) => accounts.get(id)?.threads,
  onOpen(thread) {
    openThread(thread);
    if (narrow.matches) $("thread-view").scrollIntoView({ block: "start" });
  },
  onNew(thread, fresh) {
    if (thread.key === view.openKey) return; // the thread view says it
    const who = displayName(customerOf(thread));
    announce(fresh.length === 1 ? `New message from ${who}` : `${fresh.length} new messages from ${who}`);
  },
  onLoaded() {
    if (!pending.thread || !selected) return;
    const thread = threads.get(pending.thread);
    pending = { account: null, thread: null };
    if (thread) openThread(thread);
  },
});

const connection = $("connection-state");
/** @param {import("./stream.js").StreamState} state */
function setConnection(state) {
  const text = { idle: "no account", connecting: "connecting…", live: "live", reconnecting: "reconnecting…" }[state];
  if (connection.dataset.state === state) return;
  connection.dataset.state = state;
  connection.setAttribute("aria-label", `Live updates: ${text}`);
  replace(connection, text);
}

const stream = createStream({
  onEvent(event) {
    if (event.type === "account") {
      accounts.update(event.account);
      return;
    }
    const thread = event.thread;
    threads.upsert(thread, { countUnread: accounts.get(thread.accountId)?.status === "live" });
    view.changed(thread);
  },
  onState: setConnection,
  onReopen() {
    // Changes made while the stream was down were not sent: read what is shown again.
    threads.refresh();
    view.refresh();
    pollAccounts(false);
  },
});

/** @param {import("./api.js").InboxThread} thread */
function openThread(thread) {
  if (!context) return;
  threads.select(thread.key);
  view.open(context, thread);
  place.write(selected, thread.key);
}

/** @param {string | null} id */
function choose(id) {
  if (id === selected) return;
  const account = id ? accounts.get(id) : undefined;
  selected = account ? account.accountId : null;
  context = account ? accountContext(account, () => accounts.demoOf(account.accountId)) : null;
  accounts.select(selected);
  view.clear();
  threads.reset(context);
  stream.follow(selected);
  if (pending.account !== selected) pending = { account: null, thread: null };
  place.write(selected, pending.thread);
}

/** The accounts, every second: sync progress shows while it runs. */
async function pollAccounts(again = true) {
  try {
    const list = await listAccounts();
    accounts.setAll(list);
    accounts.setStatus(list.length ? "" : "No account connected yet: connect one below.");
    if (!selected || !accounts.get(selected)) {
      const wanted = pending.account && accounts.get(pending.account) ? pending.account : null;
      const first = list.find((a) => a.status === "live") ?? list[0];
      choose(wanted ?? first?.accountId ?? null);
    }
  } catch (e) {
    accounts.setStatus(`The inbox service is not answering (${/** @type {Error} */ (e).message}); showing what it said last.`);
  }
  if (again) setTimeout(pollAccounts, ACCOUNTS_MS);
}

async function refreshDemoAccounts() {
  try {
    accounts.setDemo(await demoAccounts());
  } catch {
    // no demo server extras: the accounts view still works
  }
}

startLivePanel({
  webhooks: $("stat-webhooks"),
  duplicates: $("stat-duplicates"),
  retries: $("stat-retries"),
  chart: /** @type {SVGSVGElement} */ (/** @type {unknown} */ ($("pace-chart"))),
  legend: $("pace-legend"),
  summary: $("live-summary"),
  info: $("service-info"),
  restart: /** @type {HTMLButtonElement} */ ($("restart-service")),
  // A bucket is the Page (its Messenger and its Instagram share it) or an Instagram Login account.
  nameOf: (bucketId) => accounts.demoOf(bucketId)?.name ?? bucketId,
});

refreshDemoAccounts().then(() => pollAccounts());
setInterval(refreshDemoAccounts, DEMO_ACCOUNTS_MS);
