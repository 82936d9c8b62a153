// @ts-check
// The demo dashboard: connect panel, thread list, thread view, find, and inbox sync.
// Plain ES modules; `graph-conversations` comes from the importmap in index.html.
import { setupConnect } from "./connect.js";
import { setupFind } from "./find.js";
import { createSyncPanel } from "./sync.js";
import { createThreadList } from "./threads.js";
import { createThreadView } from "./thread-view.js";

/** @param {string} id */
const $ = (id) => document.getElementById(id);
/** @param {string} id */
const form = (id) => /** @type {HTMLFormElement} */ ($(id));

/** @type {import("./connect.js").Session | null} */
let session = null;

const view = createThreadView({ title: $("thread-title"), meta: $("thread-meta"), body: $("thread-body") });

const threads = createThreadList({
  list: $("thread-list"),
  scroll: $("thread-scroll"),
  more: $("thread-more"),
  count: $("thread-count"),
  onOpen: (conversation) => view.open(session, conversation),
});

const sync = createSyncPanel({
  root: document.querySelector(".sync"),
  start: $("sync-start"),
  cancel: $("sync-cancel"),
  resume: $("sync-resume"),
  exportButton: $("sync-export"),
  pageSize: $("sync-page-size"),
  bar: $("sync-bar"),
  percent: $("sync-percent"),
  status: $("sync-status"),
  threads: $("stat-threads"),
  messages: $("stat-messages"),
  requests: $("stat-requests"),
  throttled: $("stat-throttled"),
  wait: $("stat-wait"),
  elapsed: $("stat-elapsed"),
  chart: $("sync-chart"),
  error: $("sync-error"),
});

setupFind({
  form: form("find"),
  result: $("find-result"),
  getSession: () => session,
  onFound(conversation) {
    threads.select(conversation.id);
    view.open(session, conversation);
  },
});

setupConnect({
  form: form("connect"),
  status: $("connect-status"),
  onConnect(next) {
    session = next;
    view.clear();
    threads.reset(session);
    sync.reset(session);
  },
});
