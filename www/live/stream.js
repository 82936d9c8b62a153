// @ts-check
// The chosen account's live changes: server-sent events from GET /api/accounts/{id}/live, each a
// JSON object, `{type: "account", account}` or `{type: "thread", thread}`. EventSource reconnects
// by itself when a stream ends; when the answer is an error (the demo server's 502 while the
// service restarts), it gives up, so this opens a new one after a growing pause (1 s to 5 s).
import { accountPath } from "./api.js";

/** @typedef {"idle" | "connecting" | "live" | "reconnecting"} StreamState */

/**
 * @typedef {{ type: "account", account: import("./api.js").Account }
 *   | { type: "thread", thread: import("./api.js").InboxThread }} LiveEvent
 */

/**
 * @param {{ onEvent: (event: LiveEvent) => void, onState: (state: StreamState) => void,
 *   onReopen: () => void }} handlers `onReopen` runs when a stream opens again after one was
 *   lost: changes made meanwhile were not sent, so whatever is shown should be read again.
 */
export function createStream({ onEvent, onState, onReopen }) {
  /** @type {EventSource | null} */
  let source = null;
  /** @type {string | null} */
  let accountId = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let failures = 0;
  let lost = false;

  function open() {
    if (!accountId) return;
    const es = new EventSource(`${accountPath(accountId)}/live`);
    source = es;
    es.onopen = () => {
      if (source !== es) return;
      failures = 0;
      onState("live");
      if (lost) onReopen();
      lost = false;
    };
    es.onmessage = (message) => {
      if (source !== es) return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // not one of ours
      }
      if (event && (event.type === "account" || event.type === "thread")) onEvent(event);
    };
    es.onerror = () => {
      if (source !== es) return;
      lost = true;
      onState("reconnecting");
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        source = null;
        failures++;
        timer = setTimeout(open, Math.min(5000, 1000 * 2 ** (failures - 1)));
      }
    };
  }

  function close() {
    clearTimeout(timer);
    source?.close();
    source = null;
  }

  return {
    /** Follows another account (or none). @param {string | null} id */
    follow(id) {
      close();
      accountId = id;
      failures = 0;
      lost = false;
      onState(id ? "connecting" : "idle");
      open();
    },
    close,
  };
}
