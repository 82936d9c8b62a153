// @ts-check
// The live panel: graph-sim's webhook counters (received, duplicates merged, failed attempts it
// retried) and the Graph calls of each rate-limit bucket per second, from the demo's cumulative
// counters read every second. The numbers change every second; screen readers hear a summary
// at most every 30 s, and only when something changed.
import { h, replace } from "../js/dom.js";
import { demoInfo, demoStats, restartService } from "./api.js";
import { drawPaceChart } from "./pace-chart.js";

const POLL_MS = 1000;
const INFO_MS = 5000;
const WINDOW_MS = 60_000;
const RATE_SPAN_MS = 3000; // rates are averaged over the last 3 s: calls leave one at a time
const SUMMARY_MS = 30_000;
const LIMIT = 2;
const PALETTE = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#0f766e", "#a21caf", "#4338ca", "#be123c"];

/**
 * @param {{ webhooks: HTMLElement, duplicates: HTMLElement, retries: HTMLElement,
 *   chart: SVGSVGElement, legend: HTMLElement, summary: HTMLElement, info: HTMLElement,
 *   restart: HTMLButtonElement, nameOf: (bucketId: string) => string }} parts
 */
export function startLivePanel({ webhooks, duplicates, retries, chart, legend, summary, info, restart, nameOf }) {
  /** @type {{ t: number, served: Record<string, number> }[]} */
  const history = [];
  /** @type {Map<string, string>} */
  const colors = new Map();
  /** @type {Map<string, [number, number][]>} */
  const rates = new Map();
  let lastSummary = 0;
  let said = "";

  /** @param {string} id */
  const colorOf = (id) => {
    if (!colors.has(id)) colors.set(id, PALETTE[colors.size % PALETTE.length]);
    return /** @type {string} */ (colors.get(id));
  };

  /** Calls per second of `id` at the newest sample, over the last RATE_SPAN_MS. */
  function rateOf(id) {
    const last = history.at(-1);
    if (!last) return 0;
    const from = history.find((s) => s.t >= last.t - RATE_SPAN_MS - 200) ?? history[0];
    if (from === last) return 0;
    const calls = (last.served[id] ?? 0) - (from.served[id] ?? 0);
    return Math.max(0, calls / ((last.t - from.t) / 1000));
  }

  /** @param {import("./api.js").DemoStats} stats */
  function record(stats) {
    const served = Object.fromEntries(Object.entries(stats.calls).map(([id, c]) => [id, c.served]));
    // A counter that went down: graph-sim started over; so does the history.
    const previous = history.at(-1);
    if (previous && Object.entries(previous.served).some(([id, n]) => (served[id] ?? 0) < n)) {
      history.length = 0;
      rates.clear();
    }
    history.push({ t: stats.now, served });
    while (history.length && history[0].t < stats.now - WINDOW_MS - RATE_SPAN_MS) history.shift();
    if (history.length < 2) return; // a rate needs two readings
    for (const id of Object.keys(served)) {
      const points = rates.get(id) ?? [];
      points.push([stats.now, rateOf(id)]);
      while (points.length && points[0][0] < stats.now - WINDOW_MS) points.shift();
      rates.set(id, points);
    }
  }

  /** @param {import("./api.js").DemoStats} stats */
  function show(stats) {
    const w = stats.webhooks;
    replace(webhooks, w.delivered.toLocaleString());
    webhooks.title = `${w.posts.toLocaleString()} deliveries posted by graph-sim, ${w.delivered.toLocaleString()} acknowledged by the service`;
    replace(duplicates, w.duplicates.toLocaleString());
    replace(retries, w.failedAttempts.toLocaleString());

    // Buckets that called in the last minute, busiest first; the rest only in the legend's total.
    const active = Object.keys(stats.calls).filter((id) => (rates.get(id) ?? []).some(([, v]) => v > 0));
    const ids = Object.keys(stats.calls)
      .filter((id) => stats.calls[id].served > 0)
      .sort((a, b) => Number(active.includes(b)) - Number(active.includes(a)) || stats.calls[b].served - stats.calls[a].served);
    const series = active.map((id) => ({ id, label: nameOf(id), color: colorOf(id), points: rates.get(id) ?? [] }));
    drawPaceChart(chart, series, { now: stats.now, windowMs: WINDOW_MS, limit: LIMIT });

    replace(
      legend,
      ids.length === 0
        ? h("li", { class: "muted" }, "No Graph calls yet.")
        : ids.map((id) => {
            const c = stats.calls[id];
            const now = rateOf(id);
            const isActive = active.includes(id);
            return h(
              "li",
              { class: isActive ? "" : "idle", dataset: { bucket: id } },
              h("span", { class: "swatch", style: isActive ? `background:${colorOf(id)}` : "", "aria-hidden": "true" }),
              h("span", { class: "legend-name", dir: "auto", title: id }, nameOf(id)),
              h(
                "span",
                { class: "legend-numbers" },
                h("strong", {}, `${now.toFixed(1)}/s`),
                ` · ${c.served.toLocaleString()} calls`,
                c.minGapMs !== null && c.minGapMs !== undefined ? ` · min gap ${Math.round(c.minGapMs)} ms` : "",
                c.throttled ? h("span", { class: "account-error" }, ` · ${c.throttled} throttled`) : "",
              ),
            );
          }),
    );

    if (stats.now - lastSummary >= SUMMARY_MS) {
      const busy = ids.filter((id) => rateOf(id) > 0).map((id) => `${nameOf(id)} ${rateOf(id).toFixed(1)}`);
      const text =
        `Webhooks received ${w.delivered}, duplicates merged ${w.duplicates}. ` +
        (busy.length ? `Graph calls per second: ${busy.join(", ")}.` : "No Graph calls right now.");
      if (text !== said) {
        said = text;
        lastSummary = stats.now;
        replace(summary, text);
      }
    }
  }

  async function poll() {
    try {
      const stats = await demoStats();
      record(stats);
      show(stats);
    } catch {
      // the server restarting: the next poll tries again
    }
    setTimeout(poll, POLL_MS);
  }

  async function readInfo() {
    try {
      const { service } = await demoInfo();
      const restarts = service.restarts === 1 ? "1 restart" : `${service.restarts || "no"} restarts`;
      replace(info, `service pid ${service.pid ?? "–"} · ${restarts}`);
      info.title = "The inbox service's process (workerd), and how often the demo has restarted it";
    } catch {
      replace(info, "service info unavailable");
    }
  }

  async function pollInfo() {
    await readInfo();
    setTimeout(pollInfo, INFO_MS);
  }

  restart.addEventListener("click", async () => {
    restart.disabled = true;
    try {
      await restartService();
      replace(info, "restarting the service…");
    } catch (e) {
      replace(info, `restart failed: ${/** @type {Error} */ (e).message}`);
    } finally {
      setTimeout(() => {
        restart.disabled = false;
        readInfo();
      }, 3000);
    }
  });

  poll();
  pollInfo();
}
