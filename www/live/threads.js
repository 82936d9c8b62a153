// @ts-check
// The inbox of the chosen account: a listbox of its threads, newest activity first, paged by
// the service's cursor ("Load more", or on its own as the end scrolls into view). Live changes
// move a thread to its place (the top, for a new message) and count the customer's new messages
// on an unread badge until the thread is opened.
import { colorFor, h, initials, parseGraphTime, replace, shortTime, timeEl } from "../js/dom.js";
import { listbox } from "../js/listbox.js";
import { displayName } from "../js/people.js";
import { isBare, listThreads } from "./api.js";
import { customerOf } from "./names.js";

const PAGE_SIZE = 30;

/** @param {import("./api.js").InboxThread} t */
const activity = (t) => parseGraphTime(t.updated_time)?.getTime() ?? 0;

/**
 * Whether `a` lists before `b`: newer activity first, then the greater key (the service's
 * order). With `bumped` (`a` just had new activity), at equal activity (Graph times are whole
 * seconds) `a` goes first: a thread that gets a message goes to the top.
 * @param {import("./api.js").InboxThread} a
 * @param {import("./api.js").InboxThread} b
 */
const before = (a, b, bumped = false) =>
  activity(a) > activity(b) || (activity(a) === activity(b) && (bumped || a.key > b.key));

/**
 * A short line for a message: its text, else what it carries.
 * @param {import("./api.js").Message | undefined} m
 */
export function snippetOf(m) {
  if (!m) return "";
  if (isBare(m)) return "An older message (details not available)";
  if (m.message) return m.message;
  const a = m.attachments?.data?.[0];
  if (a?.image_data) return "📷 Photo";
  if (a?.video_data) return "🎬 Video";
  if (a) return "📎 Attachment";
  if (m.sticker) return "Sticker";
  if (m.shares?.data?.length) return "🔗 Shared a link";
  if (m.story?.reply_to) return "↩ Replied to a story";
  if (m.story?.mention) return "@ Mentioned you in a story";
  return "(no text)";
}

/**
 * @param {{ list: HTMLElement, scroll: HTMLElement, more: HTMLButtonElement, status: HTMLElement,
 *   count: HTMLElement, onOpen: (thread: import("./api.js").InboxThread) => void,
 *   onNew: (thread: import("./api.js").InboxThread, fresh: import("./api.js").Message[]) => void,
 *   total: (accountId: string) => number | undefined, onLoaded: () => void }} parts `onLoaded`: after
 *   the first page of an account's threads is shown
 */
export function createThreadList({ list, scroll, more, status, count, onOpen, onNew, total, onLoaded }) {
  /** @type {Map<string, import("./api.js").InboxThread>} */
  const threads = new Map();
  /** @type {Map<string, number>} thread key -> customer messages not seen since last opened */
  const unread = new Map();
  /** @type {Map<string, Set<string>>} thread key -> message ids already seen in this list */
  const known = new Map();
  /** @type {import("./names.js").AccountContext | null} */
  let account = null;
  /** @type {string | null} */
  let openKey = null;
  /** @type {string | undefined} */
  let cursor;
  let complete = false;
  let busy = false;
  let generation = 0;
  let loadedAt = 0; // when the list was (re)started: older messages are not new to the reader
  /** @type {AbortController | null} */
  let controller = null;

  /** @param {HTMLElement} item */
  const open = (item) => {
    const thread = threads.get(item.dataset.key ?? "");
    if (thread) onOpen(thread);
  };
  const { makeCurrent, ensureTabStop } = listbox(list, open);

  /** @param {string} key */
  const itemOf = (key) => /** @type {HTMLElement | null} */ (list.querySelector(`[data-key="${CSS.escape(key)}"]`));

  /** @param {import("./api.js").InboxThread} t */
  function label(t, name, n) {
    const newest = t.messages?.[0];
    return [
      name,
      n ? `${n} unread` : null,
      t.updated_time ? `last activity ${shortTime(t.updated_time)}` : null,
      newest ? `“${snippetOf(newest)}”` : null,
    ].filter(Boolean).join(", ");
  }

  /**
   * The row of a thread, made or refreshed in place (keeping its focus and selection).
   * @param {import("./api.js").InboxThread} t
   */
  function render(t) {
    const customer = customerOf(t);
    const name = displayName(customer);
    const n = unread.get(t.key) ?? 0;
    const newest = t.messages?.[0];
    const self = newest?.from && account?.isSelf(newest.from.id);
    const li =
      itemOf(t.key) ??
      h("li", { class: "thread", role: "option", tabindex: "-1", "aria-selected": "false", dataset: { key: t.key } });
    li.classList.toggle("unread", n > 0);
    li.setAttribute("aria-label", label(t, name, n));
    replace(
      li,
      h("span", { class: "avatar", style: `background:${colorFor(customer.id)}`, "aria-hidden": "true" }, initials(name)),
      h("span", { class: "thread-name", dir: "auto" }, name),
      h("span", { class: "thread-time" }, timeEl(t.updated_time)),
      h("span", { class: "thread-snippet", dir: "auto" }, self ? `You: ${snippetOf(newest)}` : snippetOf(newest)),
      h(
        "span",
        { class: "thread-badges" },
        n ? h("span", { class: "badge badge-unread unread-badge", title: `${n} unread` }, String(n)) : null,
      ),
    );
    return li;
  }

  /**
   * Puts a row where its thread sorts. With more pages to load, a thread older than every row
   * shown is left for them (the service pages by activity, so it comes then).
   * @param {import("./api.js").InboxThread} t
   * @param {boolean} bumped it just had new activity
   */
  function place(t, bumped) {
    const li = render(t);
    const hadFocus = li === document.activeElement;
    /** @type {HTMLElement | null} */
    let next = null;
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll('[role="option"]'))) {
      if (el === li) continue;
      const other = threads.get(el.dataset.key ?? "");
      if (other && before(t, other, bumped)) {
        next = el;
        break;
      }
    }
    if (!next && !complete && li.parentNode !== list) {
      threads.delete(t.key);
      return;
    }
    if (li.nextElementSibling !== next || li.parentNode !== list) list.insertBefore(li, next);
    if (hadFocus) li.focus({ preventScroll: true });
  }

  /** @param {import("./api.js").InboxThread} t */
  function remember(t) {
    let ids = known.get(t.key);
    if (!ids) known.set(t.key, (ids = new Set()));
    for (const m of t.messages ?? []) ids.add(m.id);
  }

  function counts() {
    const of = account ? total(account.accountId) : undefined;
    const shown = threads.size.toLocaleString();
    const n = !threads.size ? "" : of !== undefined && of > threads.size ? `${shown} of ${of.toLocaleString()}` : shown;
    replace(count, account ? [account.name, n].filter(Boolean).join(" · ") : "");
  }

  function showMore() {
    more.hidden = complete || busy;
    if (busy) replace(status, "Loading threads…");
    else if (complete) replace(status, threads.size ? `All ${threads.size.toLocaleString()} threads loaded.` : "No threads yet.");
    else replace(status, "");
  }

  async function loadMore() {
    if (!account || busy || complete) return;
    busy = true;
    showMore();
    const mine = generation;
    const first = cursor === undefined;
    try {
      const page = await listThreads(account.accountId, { limit: PAGE_SIZE, cursor, signal: controller?.signal });
      if (mine !== generation) return;
      cursor = page.next;
      complete = !page.next;
      for (const t of page.data ?? []) {
        if (threads.has(t.key)) continue; // moved up by a live change meanwhile
        threads.set(t.key, t);
        remember(t);
        list.append(render(t));
      }
      ensureTabStop();
      counts();
      if (first) onLoaded();
    } catch (e) {
      if (mine !== generation || controller?.signal.aborted) return;
      busy = false;
      more.hidden = false;
      replace(status, h("span", { class: "account-error" }, `Loading threads failed: ${/** @type {Error} */ (e).message}`));
      return;
    } finally {
      if (mine === generation) busy = false;
    }
    showMore();
    // A short list keeps loading while its end is in view.
    if (!complete && more.getBoundingClientRect().top < scroll.getBoundingClientRect().bottom + 200) loadMore();
  }

  more.addEventListener("click", () => loadMore());
  new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), {
    root: scroll,
    rootMargin: "200px",
  }).observe(more);

  return {
    /**
     * Starts over with another account's inbox.
     * @param {import("./names.js").AccountContext | null} next
     */
    reset(next) {
      controller?.abort();
      controller = new AbortController();
      generation++;
      account = next;
      threads.clear();
      unread.clear();
      known.clear();
      openKey = null;
      loadedAt = Date.now();
      cursor = undefined;
      complete = !next;
      busy = false;
      list.replaceChildren();
      counts();
      showMore();
      if (next) loadMore();
    },

    /**
     * A thread changed (a live event, or a first page read again after a reconnect): its row
     * moves to its place. With `countUnread` (the account is live, not backfilling), the
     * customer's messages not seen before and sent since the list was loaded are new: they count
     * on the unread badge unless the thread is the open one, and go to `onNew`.
     * @param {import("./api.js").InboxThread} t
     * @param {{ countUnread: boolean }} options
     */
    upsert(t, { countUnread }) {
      if (!account || t.accountId !== account.accountId) return;
      const me = account;
      const seen = known.get(t.key);
      const fresh = (t.messages ?? []).filter(
        (m) =>
          !seen?.has(m.id) &&
          !isBare(m) &&
          !me.isSelf(m.from?.id) &&
          (parseGraphTime(m.created_time)?.getTime() ?? 0) >= loadedAt - 30_000,
      );
      const previous = threads.get(t.key);
      const bumped = previous ? activity(t) > activity(previous) : countUnread;
      threads.set(t.key, t);
      remember(t);
      if (countUnread && t.key !== openKey && fresh.length) unread.set(t.key, (unread.get(t.key) ?? 0) + fresh.length);
      place(t, bumped);
      ensureTabStop();
      counts();
      if (!busy) showMore();
      if (countUnread && fresh.length) onNew(t, fresh);
    },

    /**
     * Marks a thread as the open one and clears its unread count.
     * @param {string | null} key
     */
    select(key) {
      openKey = key;
      for (const el of list.querySelectorAll('[aria-selected="true"]')) el.setAttribute("aria-selected", "false");
      if (!key) return;
      unread.delete(key);
      const t = threads.get(key);
      if (t) render(t);
      const li = itemOf(key);
      if (!li) return;
      li.setAttribute("aria-selected", "true");
      makeCurrent(li);
    },

    /** The first page again (after a reconnect: what changed meanwhile). */
    async refresh() {
      if (!account) return;
      const mine = generation;
      const me = account;
      try {
        const page = await listThreads(me.accountId, { limit: PAGE_SIZE, signal: controller?.signal });
        if (mine !== generation) return;
        for (const t of [...(page.data ?? [])].reverse()) this.upsert(t, { countUnread: true });
      } catch {
        // the next reconnect tries again
      }
    },

    /** @param {string} key */
    get: (key) => threads.get(key),
  };
}
