// @ts-check
// "Find thread with user id": findConversation for a PSID (Messenger) or IGSID (Instagram).
import { replace } from "./dom.js";
import { errorBox, isAborted } from "./errors.js";
import { LIST_FIELDS } from "./threads.js";

/**
 * @param {{
 *   form: HTMLFormElement, result: HTMLElement,
 *   getSession: () => import("./connect.js").Session | null,
 *   onFound: (conversation: import("graph-conversations").Conversation) => void,
 * }} panel
 */
export function setupFind({ form, result, getSession, onFound }) {
  let controller = null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const session = getSession();
    if (!session) {
      replace(result, "Connect first.");
      return;
    }
    const userId = /** @type {HTMLInputElement} */ (form.elements.namedItem("userId")).value.trim();
    controller?.abort();
    controller = new AbortController();
    const signal = AbortSignal.any([session.signal, controller.signal]);
    replace(result, `Looking for the thread with ${userId}…`);
    try {
      const conversation = await session.client.findConversation(session.accountId, {
        platform: session.platform,
        userId,
        fields: LIST_FIELDS,
        signal,
      });
      if (conversation === null) {
        replace(result, `No thread with that user (${userId}).`);
        return;
      }
      replace(result, `Opened the thread with ${userId}.`);
      onFound(conversation);
    } catch (e) {
      if (!isAborted(e)) replace(result, errorBox(e, "Finding the thread"));
    }
  });
}
