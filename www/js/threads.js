// @ts-check
// The thread list: a listbox of conversations, newest first, loading the next page as its end
// scrolls into view. Arrow keys, Home/End and PageUp/PageDown move; Enter or Space opens (listbox.js).
import { colorFor, h, initials, replace, shortTime, timeEl } from "./dom.js";
import { listbox } from "./listbox.js";
import { pageOnScroll } from "./pager.js";
import { displayName } from "./people.js";

export const LIST_FIELDS = ["participants", "snippet", "unread_count", "message_count", "updated_time"];
const PAGE_SIZE = 20;

function threadLabel(name, c) {
  return [
    name,
    c.unread_count ? `${c.unread_count} unread` : null,
    c.message_count !== undefined ? `${c.message_count} messages` : null,
    c.updated_time ? `last message ${shortTime(c.updated_time)}` : null,
    c.snippet ? `“${c.snippet}”` : null,
  ].filter(Boolean).join(", ");
}

function threadItem(c, identity) {
  const customer = identity.customerOf(c);
  const name = displayName(customer);
  return h(
    "li",
    {
      class: `thread${c.unread_count ? " unread" : ""}`,
      role: "option",
      tabindex: "-1",
      "aria-selected": "false",
      "aria-label": threadLabel(name, c),
      id: `thread-${c.id}`,
      dataset: { id: c.id },
    },
    h("span", { class: "avatar", style: `background:${colorFor(customer?.id ?? c.id)}`, "aria-hidden": "true" }, initials(name)),
    h("span", { class: "thread-name", dir: "auto" }, name),
    h("span", { class: "thread-time" }, timeEl(c.updated_time)),
    h("span", { class: "thread-snippet", dir: "auto" }, c.snippet ?? ""),
    h(
      "span",
      { class: "thread-badges" },
      c.unread_count ? h("span", { class: "badge badge-unread" }, c.unread_count) : null,
      c.message_count !== undefined ? h("span", { class: "badge badge-count", title: `${c.message_count} messages` }, c.message_count) : null,
    ),
  );
}

export function createThreadList({ list, scroll, more, count, onOpen }) {
  let loader = null;
  const byId = new Map(); // conversation id -> conversation

  /** @param {HTMLElement} item */
  function open(item) {
    select(item.dataset.id);
    onOpen(byId.get(item.dataset.id));
  }

  const { makeCurrent, ensureTabStop } = listbox(list, open);

  /** Marks a thread as the open one (if it is in the list); returns whether it is. */
  function select(id) {
    for (const el of list.querySelectorAll('[aria-selected="true"]')) el.setAttribute("aria-selected", "false");
    const item = list.querySelector(`#${CSS.escape(`thread-${id}`)}`);
    if (!item) return false;
    item.setAttribute("aria-selected", "true");
    makeCurrent(item);
    return true;
  }

  /**
   * @param {import("graph-conversations").Page<import("graph-conversations").Conversation>} page
   * @param {import("./connect.js").Session} session
   */
  function render(page, session) {
    const conversations = page.data ?? [];
    session.identity.learnFrom(conversations);
    for (const c of conversations) byId.set(c.id, c);
    list.append(...conversations.map((c) => threadItem(c, session.identity)));
    ensureTabStop();
    replace(count, `${byId.size} loaded`);
    return conversations.length;
  }

  return {
    /**
     * Starts over for a (new) connection.
     * @param {import("./connect.js").Session} session
     */
    reset(session) {
      loader?.stop();
      byId.clear();
      list.replaceChildren();
      replace(count, "");
      const pages = session.client
        .conversations(session.accountId, { platform: session.platform, limit: PAGE_SIZE, fields: LIST_FIELDS, signal: session.signal })
        .pages();
      loader = pageOnScroll({
        pages,
        sentinel: more,
        root: scroll,
        status: more,
        render: (page) => render(page, session),
        text: {
          doing: "Loading threads",
          loading: "Loading threads…",
          end: (n) => `All ${n} threads loaded.`,
          empty: "No threads in this inbox.",
        },
      });
    },
    select,
  };
}
