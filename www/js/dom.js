// @ts-check
// Small DOM and formatting helpers shared by every panel.

/**
 * Creates an element: h("a", { href, class: "x", onclick }, "text", child, [more]).
 * Attributes with null/undefined/false values are skipped; `on*` functions become listeners;
 * children may be strings, nodes, arrays, or null (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Graph times look like 2026-10-07T19:53:45+0000; Date wants the offset with a colon. A number
 * is unix milliseconds (the inbox service's `lastEventAt`).
 */
export function parseGraphTime(value) {
  if (!value) return null;
  if (typeof value === "number") return new Date(value);
  const date = new Date(String(value).replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? null : date;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A list-friendly time: today's time of day, else day and month (year if not this year). */
export function shortTime(value, now = new Date()) {
  const date = parseGraphTime(value);
  if (!date) return "";
  if (date.toDateString() === now.toDateString()) return timeOfDay.format(date);
  if (date.getFullYear() === now.getFullYear()) return dayMonth.format(date);
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

export function longTime(value) {
  const date = parseGraphTime(value);
  return date ? fullDate.format(date) : "";
}

/** A `<time>` element showing `format(value)` with the full date as its title. */
export function timeEl(value, format = shortTime) {
  return h("time", { datetime: parseGraphTime(value)?.toISOString(), title: longTime(value) }, format(value));
}

export function formatBytes(size) {
  if (typeof size !== "number") return "";
  const units = ["B", "KB", "MB", "GB"];
  let n = size;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A stable, readable avatar colour for an id (all dark enough for white text). */
export function colorFor(id) {
  const palette = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0f766e", "#4338ca", "#a21caf"];
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

export function initials(label) {
  const words = String(label).replace(/^@/, "").split(/[\s._-]+/u).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]);
  return (letters.join("") || "?").toUpperCase();
}
