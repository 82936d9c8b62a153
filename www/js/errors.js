// @ts-check
// How a failure is shown everywhere: what was being done, the GraphApiError kind, and the
// identifiers Meta support asks for (code, subcode, fbtrace_id).
import { GraphApiError } from "graph-conversations";
import { h } from "./dom.js";

export function isAborted(e) {
  return e instanceof GraphApiError ? e.kind === "aborted" : e?.name === "AbortError";
}

function errorDetails(e) {
  if (!(e instanceof GraphApiError)) return { kind: "unexpected", message: String(e?.message ?? e) };
  const { kind, status, code, subcode, type, fbtraceId, retryAfterMs, isTransient } = e;
  return { kind, message: e.message, status, code, subcode, type, fbtraceId, retryAfterMs, isTransient };
}

/** An alert block: "<doing> failed: <message>", kind and fbtraceId on their own line. */
export function errorBox(e, doing, { role = "alert" } = {}) {
  const d = errorDetails(e);
  const meta = [
    d.status !== undefined && `HTTP ${d.status}`,
    d.code !== undefined && `code ${d.code}`,
    d.subcode !== undefined && `subcode ${d.subcode}`,
    d.type && d.type,
    d.retryAfterMs !== undefined && `retry after ${Math.ceil(d.retryAfterMs / 1000)} s`,
  ].filter(Boolean);
  return h(
    "div",
    { class: "error", role, dataset: { kind: d.kind } },
    h("div", {}, `${doing} failed: `, d.message),
    h(
      "div",
      { class: "error-meta" },
      "kind ", h("span", { class: "error-kind" }, d.kind),
      meta.length ? ` · ${meta.join(" · ")}` : "",
      " · fbtraceId ", h("span", { class: "error-trace" }, d.fbtraceId ?? "—"),
    ),
  );
}
