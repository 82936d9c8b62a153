// @ts-check
// The open thread, oldest message at the top, newest at the bottom, as a chat. When the
// service reports a change to it, its newest messages are read again and the list reconciled
// row by row: new messages appear, reactions and edits update in place, unsent ones give way to
// an "unsent" note. Messages older than Meta's newest 20 whose details the service does not
// have (none came by webhook) are listed with their id and time only, marked as such.
import { h, longTime, parseGraphTime, replace, timeEl } from "../js/dom.js";
import { displayName } from "../js/people.js";
import { head, renderDetailed } from "../js/message-view.js";
import { isBare, listMessages } from "./api.js";
import { PLATFORM_LABEL, customerOf, namer } from "./names.js";

const PAGE_SIZE = 50;
const MAX_PAGE = 100; // the service's largest page
export const OLDER_TEXT = "Older than Meta's newest 20: details not available";

/** @param {import("./api.js").Message} m */
const timeOf = (m) => parseGraphTime(m.created_time)?.getTime() ?? 0;

/**
 * Oldest first; equal times by id (the service's order, reversed).
 * @param {{ time: number, id: string }} a
 * @param {{ time: number, id: string }} b
 */
const chronological = (a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * @typedef {object} Row
 * @property {string} id the message id
 * @property {number} time
 * @property {string} json the message as last rendered, to tell a change
 * @property {HTMLElement} el
 * @property {boolean} [gone] unsent (or no longer listed) while the thread was open
 */

/**
 * @param {{ title: HTMLElement, meta: HTMLElement, body: HTMLElement,
 *   announce: (text: string) => void }} parts
 */
export function createThreadView({ title, meta, body, announce }) {
  /** @type {null | { account: import("./names.js").AccountContext, thread: import("./api.js").InboxThread,
   *   rows: Map<string, Row>, edited: Set<string>, list: HTMLElement, earlier: HTMLButtonElement,
   *   jump: HTMLButtonElement, unseen: number,
   *   status: HTMLElement, older?: string, loaded: boolean, loadedEarlier: boolean, busy: boolean, again: boolean,
   *   controller: AbortController }} */
  let current = null;

  function close() {
    current?.controller.abort();
    current = null;
  }

  /**
   * @param {import("./api.js").Message} m
   * @param {NonNullable<typeof current>} c
   */
  function renderRow(m, c) {
    if (isBare(m)) {
      return h(
        "li",
        { class: "msg unavailable", dataset: { mid: m.id, older: "" } },
        head(h("span", { class: "msg-id" }, m.id), m.created_time),
        h("div", { class: "msg-bubble" }, h("div", { class: "msg-note" }, OLDER_TEXT)),
      );
    }
    const edited = c.edited.has(m.id) || m.edited === true || m.is_edited === true;
    const li = renderDetailed(m, c.account, { nameOf: namer(c.thread, c.account), attrs: { "data-mid": m.id, "data-edited": edited } });
    if (edited) li.querySelector(".msg-head")?.append(h("span", { class: "msg-edited" }, "edited"));
    return li;
  }

  /** @param {Row} row */
  function goneRow(row) {
    return h(
      "li",
      { class: "msg msg-gone", dataset: { unsent: row.id } },
      h("div", { class: "msg-bubble" }, "A message was unsent ", h("span", { class: "muted" }, "(", timeEl(row.time, longTime), ")")),
    );
  }

  /**
   * Merges messages into the rows: `window` is the span the list covers completely (from the
   * oldest of them to now; everything when `complete`), so rows in it the list lacks are gone.
   * @param {NonNullable<typeof current>} c
   * @param {import("./api.js").Message[]} messages newest first, as served
   * @param {{ replaceFrom?: { time: number, id: string }, complete?: boolean, fresh?: boolean }} span
   */
  function merge(c, messages, { replaceFrom, complete = false, fresh = false }) {
    const incoming = new Map(messages.map((m) => [m.id, m]));
    const added = [];
    for (const m of messages) {
      const json = JSON.stringify(m);
      const row = c.rows.get(m.id);
      if (row && row.json === json && !row.gone) continue;
      if (row && !row.gone && !isBare(m)) {
        const before = /** @type {import("./api.js").Message} */ (JSON.parse(row.json));
        if (!isBare(before) && before.message !== undefined && before.message !== m.message) c.edited.add(m.id);
      }
      const el = renderRow(m, c);
      if (fresh) el.classList.add("fresh"); // a short highlight: new, or changed
      if (fresh && !row) added.push(m);
      c.rows.set(m.id, { id: m.id, time: timeOf(m), json, el });
    }
    if (replaceFrom || complete) {
      for (const row of c.rows.values()) {
        if (incoming.has(row.id) || row.gone) continue;
        if (complete || chronological(row, replaceFrom ?? row) >= 0) {
          row.gone = true;
          row.el = goneRow(row);
        }
      }
    }
    // Row by row, moving only what is out of place: unchanged rows keep their node.
    const wanted = [...c.rows.values()].sort(chronological).map((r) => r.el);
    let at = c.list.firstElementChild;
    for (const el of wanted) {
      if (el === at) at = at.nextElementSibling;
      else c.list.insertBefore(el, at);
    }
    while (at) {
      const next = at.nextElementSibling;
      at.remove();
      at = next;
    }
    return added;
  }

  const nearBottom = () => body.scrollHeight - body.scrollTop - body.clientHeight < 80;

  // Reaching the bottom reads what the "new messages" button pointed to.
  body.addEventListener("scroll", () => {
    if (!current || current.jump.hidden || !nearBottom()) return;
    current.unseen = 0;
    current.jump.hidden = true;
  }, { passive: true });

  /** Reads the newest messages again and merges them (one read at a time, the last one wins). */
  async function refresh() {
    const c = current;
    if (!c) return;
    if (c.busy) {
      c.again = true;
      return;
    }
    c.busy = true;
    try {
      do {
        c.again = false;
        const shown = [...c.rows.values()].filter((r) => !r.gone).length;
        const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, shown));
        const page = await listMessages(c.account.accountId, c.thread.key, { limit, signal: c.controller.signal });
        if (current !== c) return;
        const stick = nearBottom();
        const last = page.data.at(-1);
        const added = merge(c, page.data, {
          complete: !page.next && !c.loadedEarlier,
          replaceFrom: last && { time: timeOf(last), id: last.id },
          fresh: c.loaded,
        });
        c.loaded = true;
        if (!c.loadedEarlier) c.older = page.next;
        updateEarlier(c);
        if (stick) body.scrollTop = body.scrollHeight;
        else if (added.length) {
          c.unseen += added.length;
          c.jump.hidden = false;
          replace(c.jump, c.unseen === 1 ? "↓ 1 new message" : `↓ ${c.unseen} new messages`);
        }
        const name = namer(c.thread, c.account);
        for (const m of added) announce(`New message from ${name(m.from)}: ${m.message ?? "(attachment)"}`);
      } while (c.again && current === c);
    } catch (e) {
      if (current === c && !c.controller.signal.aborted) replace(c.status, `Reading the thread failed: ${/** @type {Error} */ (e).message}`);
    } finally {
      c.busy = false;
    }
  }

  /** @param {NonNullable<typeof current>} c */
  function updateEarlier(c) {
    c.earlier.hidden = !c.older;
    if (!c.older) {
      const n = [...c.rows.values()].filter((r) => !r.gone).length;
      replace(c.status, n ? `Start of the conversation (${n.toLocaleString()} messages).` : "No messages in this thread.");
    } else replace(c.status, "");
  }

  async function loadEarlier() {
    const c = current;
    if (!c?.older || c.busy) return;
    c.busy = true;
    c.earlier.disabled = true;
    try {
      const page = await listMessages(c.account.accountId, c.thread.key, { limit: PAGE_SIZE, cursor: c.older, signal: c.controller.signal });
      if (current !== c) return;
      const fromBottom = body.scrollHeight - body.scrollTop;
      merge(c, page.data, {});
      c.older = page.next;
      c.loadedEarlier = true;
      updateEarlier(c);
      body.scrollTop = body.scrollHeight - fromBottom; // the rows read stay where they were
    } catch (e) {
      if (current === c && !c.controller.signal.aborted) replace(c.status, `Loading earlier messages failed: ${/** @type {Error} */ (e).message}`);
    } finally {
      c.busy = false;
      c.earlier.disabled = false;
      if (c.again) refresh();
    }
  }

  /**
   * @param {import("./names.js").AccountContext} account
   * @param {import("./api.js").InboxThread} thread
   */
  function header(account, thread) {
    const customer = customerOf(thread);
    replace(title, h("span", { dir: "auto" }, displayName(customer)));
    const bits = [
      customer.username && customer.name ? `@${customer.username}` : null,
      PLATFORM_LABEL[thread.platform],
      `user ${thread.userId}`,
      thread.conversationId ? `conversation ${thread.conversationId}` : "no conversation id yet (known from webhooks)",
    ].filter(Boolean);
    replace(meta, bits.join(" · "));
  }

  return {
    clear() {
      close();
      replace(title, "No thread open");
      replace(meta, "");
      replace(body, h("p", { class: "empty" }, "Pick a thread to read it here. New messages, reactions, edits and unsends show as they happen."));
    },

    /**
     * @param {import("./names.js").AccountContext} account
     * @param {import("./api.js").InboxThread} thread
     */
    open(account, thread) {
      close();
      header(account, thread);
      const earlier = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "load-earlier", hidden: true }, "Load earlier messages"));
      const list = h("ol", { class: "messages", "aria-label": "Messages, oldest first" });
      const status = h("p", { class: "list-more thread-status" });
      const jump = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jump-new", hidden: true }));
      replace(body, h("div", { class: "earlier-row" }, earlier, status), list, h("div", { class: "jump-row" }, jump));
      const c = {
        account,
        thread,
        rows: new Map(),
        edited: new Set(),
        list,
        earlier,
        jump,
        unseen: 0,
        status,
        older: undefined,
        loaded: false,
        loadedEarlier: false,
        busy: false,
        again: false,
        controller: new AbortController(),
      };
      current = c;
      earlier.addEventListener("click", loadEarlier);
      jump.addEventListener("click", () => {
        body.scrollTo({ top: body.scrollHeight, behavior: "smooth" });
        list.lastElementChild?.scrollIntoView({ block: "end" });
      });
      replace(status, "Loading messages…");
      refresh().then(() => {
        if (current === c) body.scrollTop = body.scrollHeight;
      });
    },

    /**
     * The thread changed: its header may have (participants, conversation id), its messages did.
     * @param {import("./api.js").InboxThread} thread
     */
    changed(thread) {
      if (current?.thread.key !== thread.key) return;
      current.thread = thread;
      header(current.account, thread);
      refresh();
    },

    /** Reads the open thread again (after a reconnect). */
    refresh,

    get openKey() {
      return current?.thread.key ?? null;
    },
  };
}
