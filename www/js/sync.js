// @ts-check
// The "Sync inbox" panel: client.syncInbox with a progress bar, live counts from onProgress
// (SyncProgress in the package's types), a chart of requests per second, cancel
// (AbortController) and resume (from the last checkpoint the sync yielded), and an NDJSON export
// of everything synced so far.
import { formatSeconds, replace } from "./dom.js";
import { errorBox, isAborted } from "./errors.js";
import { RequestChart } from "./chart.js";
import { download, exportName, toNdjson } from "./export.js";
import { clientDefaults } from "graph-conversations";

// Meta's pace per account, as the package knows it: the chart's limit line when pacing is off.
let metaLimit = 0;
clientDefaults().then((d) => { metaLimit = d.requestsPerSecond; }, () => {});
// SyncProgress counts per run; the panel adds up the runs of one sync (start, then resumes).
const RUN_COUNTERS = ["requests", "throttled", "rateLimitWaitMs", "elapsedMs"];
const zero = () => Object.fromEntries(RUN_COUNTERS.map((k) => [k, 0]));
const add = (a, b) => Object.fromEntries(RUN_COUNTERS.map((k) => [k, a[k] + (b[k] ?? 0)]));

/** What one sync (a start and its resumes) has gathered. */
class Ledger {
  synced = new Map(); // conversation id -> { conversation, messages }
  checkpoint = undefined;
  finishedRuns = zero();
  total = undefined; // threads in the inbox, where known

  /** @param {import("graph-conversations").SyncedConversation} item */
  record(item) {
    this.synced.set(item.conversation.id, { conversation: item.conversation, messages: item.messages });
    this.checkpoint = item.checkpoint;
  }

  get threads() {
    return this.synced.size;
  }

  get messages() {
    let n = 0;
    for (const s of this.synced.values()) n += s.messages.length;
    return n;
  }
}

export function createSyncPanel(el) {
  const chart = new RequestChart(el.chart);
  /** @type {import("./connect.js").Session | null} */
  let session = null;
  let state = "idle"; // idle | running | cancelled | failed | done
  let ledger = new Ledger();
  let run = null; // { controller, startedAt, progress }
  let chartStart = 0;
  let frame = 0;
  let ticker = 0;
  let lastAnnounced = 0;

  function counters() {
    if (!run) return ledger.finishedRuns;
    return add(ledger.finishedRuns, { ...run.progress, elapsedMs: performance.now() - run.startedAt });
  }

  function percent() {
    if (state === "done") return 100;
    if (!ledger.total) return state === "running" ? null : 0;
    return Math.min(99, Math.floor((ledger.threads / ledger.total) * 100));
  }

  function statusText(c, pct) {
    const threads = ledger.threads;
    const of = ledger.total ? ` of ${ledger.total}` : "";
    switch (state) {
      case "idle":
        return session ? "Not started." : "Connect first.";
      case "running":
        return `Syncing: ${threads}${of} threads, ${ledger.messages} messages${pct === null ? "" : ` (${pct}%)`}.`;
      case "cancelled":
        return `Cancelled after ${threads}${of} threads. Resume continues after the last synced thread.`;
      case "failed":
        return `Stopped by an error after ${threads}${of} threads.` +
          (ledger.checkpoint ? " Resume continues after the last synced thread." : "");
      case "done":
        return `Done: ${threads} threads and ${ledger.messages} messages in ${formatSeconds(c.elapsedMs)}, ${c.requests} requests.`;
    }
  }

  function render() {
    frame = 0;
    const c = counters();
    const pct = percent();
    if (pct === null) el.bar.removeAttribute("value"); // indeterminate: the total is unknown
    else el.bar.value = pct;
    replace(el.percent, pct === null ? "…" : `${pct}%`);
    replace(el.threads, String(ledger.threads));
    replace(el.messages, String(ledger.messages));
    replace(el.requests, String(c.requests));
    replace(el.throttled, String(c.throttled));
    replace(el.wait, formatSeconds(c.rateLimitWaitMs));
    replace(el.elapsed, formatSeconds(c.elapsedMs));
    // The live region speaks at most every 2 s while running, and on every state change.
    const now = performance.now();
    if (state !== "running" || now - lastAnnounced > 2000) {
      replace(el.status, statusText(c, pct));
      lastAnnounced = now;
    }
    el.root.dataset.state = state;
    el.start.disabled = !session || state === "running";
    el.cancel.disabled = state !== "running";
    el.resume.disabled = !session || !ledger.checkpoint || !(state === "cancelled" || state === "failed");
    el.exportButton.disabled = ledger.threads === 0;
    chart.draw(session?.requestsPerSecond > 0 ? session.requestsPerSecond : metaLimit, run ? performance.now() - chartStart : undefined);
  }

  const schedule = () => {
    frame ||= requestAnimationFrame(render);
  };

  function setState(next) {
    state = next;
    lastAnnounced = 0;
    render();
  }

  function stopRun() {
    clearInterval(ticker);
    run?.controller.abort();
    run = null;
  }

  async function start(resume) {
    if (!session || state === "running") return;
    /** @type {{ controller: AbortController, startedAt: number, progress: Partial<import("graph-conversations").SyncProgress> }} */
    const current = { controller: new AbortController(), startedAt: performance.now(), progress: zero() };
    const signal = AbortSignal.any([session.signal, current.controller.signal]);
    if (!resume) {
      ledger = new Ledger();
      chart.reset();
      chartStart = current.startedAt;
    }
    run = current;
    replace(el.error);
    setState("running");
    ticker = setInterval(schedule, 250);
    /** @param {import("graph-conversations").SyncProgress} progress */
    const onProgress = (progress) => {
      if (run !== current) return;
      current.progress = progress;
      chart.record(performance.now() - chartStart, ledger.finishedRuns.requests + progress.requests);
      schedule();
    };

    let outcome = "done";
    try {
      ledger.total = await session.threadTotal();
      const stream = session.client.syncInbox(session.accountId, {
        platform: session.platform,
        pageSize: Number(el.pageSize.value) || undefined, // blank: the package's default
        checkpoint: resume ? ledger.checkpoint : undefined,
        onProgress,
        signal,
      });
      for await (const item of stream) {
        ledger.record(item);
        schedule();
      }
    } catch (e) {
      outcome = isAborted(e) ? "cancelled" : "failed";
      if (outcome === "failed") replace(el.error, errorBox(e, "Syncing the inbox"));
    }
    if (run !== current) return; // a new connection took over
    ledger.finishedRuns = counters();
    stopRun();
    setState(outcome);
  }

  el.start.addEventListener("click", () => start(false));
  el.resume.addEventListener("click", () => start(true));
  el.cancel.addEventListener("click", () => run?.controller.abort());
  el.exportButton.addEventListener("click", () => {
    download(exportName(session.accountId, session.platform), toNdjson([...ledger.synced.values()]));
    replace(el.status, `Exported ${ledger.threads} threads as NDJSON.`);
  });

  render();
  return {
    /**
     * A new connection: whatever ran for the old one is dropped.
     * @param {import("./connect.js").Session} next
     */
    reset(next) {
      stopRun();
      session = next;
      ledger = new Ledger();
      chart.reset();
      setState("idle");
    },
  };
}
