// @ts-check
// Graph calls per second over the last minute, one line per rate-limit bucket, against Meta's
// 2 calls/s (dashed): an SVG, redrawn from the demo's counters every second.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 26, right: 10, top: 10, bottom: 20 };

/**
 * @typedef {object} Series
 * @property {string} id
 * @property {string} label
 * @property {string} color
 * @property {[number, number][]} points [unix ms, calls per second], oldest first
 */

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 */
function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {SVGSVGElement} svg
 * @param {Series[]} series
 * @param {{ now: number, windowMs?: number, limit?: number }} options
 */
export function drawPaceChart(svg, series, { now, windowMs = 60_000, limit = 2 }) {
  const peak = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1])));
  const top = Math.max(limit + 1, Math.ceil(peak + 0.25));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (/** @type {number} */ t) => PAD.left + ((t - (now - windowMs)) / windowMs) * plotW;
  const y = (/** @type {number} */ v) => PAD.top + plotH - (Math.min(v, top) / top) * plotH;
  const round = (/** @type {number} */ n) => Math.round(n * 10) / 10;

  const nodes = [];
  for (let v = 0; v <= top; v++) {
    if (v !== 0 && v !== limit && v !== top) continue;
    nodes.push(el("line", { class: "grid", x1: PAD.left, x2: PAD.left + plotW, y1: round(y(v)), y2: round(y(v)) }));
    nodes.push(el("text", { class: "tick", x: PAD.left - 5, y: round(y(v)), "text-anchor": "end", "dominant-baseline": "middle" }, String(v)));
  }
  nodes.push(el("line", { class: "limit", x1: PAD.left, x2: PAD.left + plotW, y1: round(y(limit)), y2: round(y(limit)) }));
  nodes.push(el("text", { class: "limit-label", x: PAD.left + plotW, y: round(y(limit)) - 4, "text-anchor": "end" }, `Meta's limit ${limit}/s`));
  nodes.push(el("text", { class: "tick", x: PAD.left, y: HEIGHT - 5 }, `−${Math.round(windowMs / 1000)} s`));
  nodes.push(el("text", { class: "tick", x: PAD.left + plotW, y: HEIGHT - 5, "text-anchor": "end" }, "now"));
  for (const s of series) {
    const visible = s.points.filter(([t]) => t >= now - windowMs);
    if (visible.length < 2) continue;
    const d = visible.map(([t, v], i) => `${i ? "L" : "M"}${round(x(t))},${round(y(v))}`).join(" ");
    nodes.push(el("path", { class: "series", d, stroke: s.color, "data-account": s.id }));
  }
  svg.replaceChildren(...nodes);

  const latest = series
    .map((s) => `${s.label} ${(s.points.at(-1)?.[1] ?? 0).toFixed(1)} per second`)
    .join(", ");
  svg.setAttribute(
    "aria-label",
    `Graph calls per second over the last minute, Meta's limit ${limit} per second: ${latest || "no calls yet"}`,
  );
}
