// @ts-check
// One message as the direct dashboard's thread view shows it: with details (message-view.js), or
// listed without them, in which case it asks Graph for them (getMessage) once it is seen.
import { clientDefaults } from "graph-conversations";
import { h, replace } from "./dom.js";
import { errorBox } from "./errors.js";
import { hasDetails, head, messageDomId, renderDetailed } from "./message-view.js";

export { hasDetails, messageDomId } from "./message-view.js";

/** The package's default message fields, plus the legacy `sticker`, which the simulator sends. */
export async function detailFields() {
  return [...(await clientDefaults()).messageFields, "sticker"];
}

export const UNAVAILABLE_TEXT = "details not available from Meta (only the 20 newest are kept)";

/**
 * A message Graph listed without details. `resolve()` asks for them (getMessage): shown in place
 * when Graph still has them, else the newest-20 note, or the error.
 */
function withoutDetails(m, identity, fetchDetails) {
  const note = h("div", { class: "msg-note unavailable-text" }, "Checking for details…");
  const li = h(
    "li",
    { class: "msg unavailable", id: messageDomId(m.id), dataset: { id: m.id, state: "pending" } },
    head(h("span", { class: "msg-id" }, m.id), m.created_time),
    h("div", { class: "msg-bubble" }, note),
  );
  li.resolve = async () => {
    if (li.dataset.state !== "pending") return;
    li.dataset.state = "loading";
    const outcome = await fetchDetails(m.id);
    if (outcome.message) {
      li.replaceWith(renderDetailed(outcome.message, identity));
    } else if (outcome.error?.kind === "message_unavailable") {
      li.dataset.state = "unavailable";
      const e = outcome.error;
      replace(note, UNAVAILABLE_TEXT, h("br"), h("small", { class: "error-meta" }, `kind ${e.kind} · code ${e.code} · fbtraceId ${e.fbtraceId ?? "—"}`));
    } else if (outcome.error) {
      li.dataset.state = "error";
      replace(note, errorBox(outcome.error, "Reading this message's details", { role: "status" }));
    } else {
      li.dataset.state = "pending"; // aborted: try again when seen next
    }
  };
  return li;
}

export function renderMessage(m, identity, fetchDetails) {
  return hasDetails(m) ? renderDetailed(m, identity) : withoutDetails(m, identity, fetchDetails);
}
