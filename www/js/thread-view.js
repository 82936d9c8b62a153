// @ts-check
// One thread: its messages newest first, page after page as you scroll. Graph keeps details for
// the newest 20 messages of a thread only; older ones are listed with id and time, and asking for
// their details (getMessage) rejects with kind "message_unavailable", which is shown as such.
import { h, replace } from "./dom.js";
import { isAborted } from "./errors.js";
import { detailFields, renderMessage } from "./message.js";
import { observeVisible, pageOnScroll } from "./pager.js";
import { displayName } from "./people.js";

const PAGE_SIZE = 20; // the first page is exactly the newest 20, the ones with details

export function createThreadView({ title, meta, body }) {
  let current = null; // { controller, loader, observer }

  function close() {
    if (!current) return;
    current.controller.abort();
    current.loader?.stop();
    current.observer.disconnect();
    current = null;
  }

  function header(session, conversation) {
    const customer = session.identity.customerOf(conversation);
    replace(title, h("span", { dir: "auto" }, displayName(customer)));
    const bits = [
      customer?.id && `user ${customer.id}`,
      `thread ${conversation.id}`,
      conversation.message_count !== undefined && `${conversation.message_count} messages`,
    ].filter(Boolean);
    replace(meta, bits.join(" · "));
  }

  /** Follows "in reply to" links to a message already on screen. */
  body.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-reply-to]");
    if (!link) return;
    const target = body.querySelector(`#${CSS.escape(link.hash.slice(1))}`);
    event.preventDefault();
    if (!target) return;
    for (const el of body.querySelectorAll(".msg.target")) el.classList.remove("target");
    target.classList.add("target");
    target.scrollIntoView({ block: "center", behavior: "smooth" });
  });

  function blank(...content) {
    close();
    replace(title, "No thread open");
    replace(meta, "");
    replace(body, ...content);
  }

  return {
    /** Back to the empty pane, as after connecting. */
    clear() {
      blank(h("p", { class: "empty" }, "Pick a thread on the left to read it here, newest message first."));
    },
    /**
     * @param {import("./connect.js").Session} session
     * @param {import("graph-conversations").Conversation} conversation
     */
    open(session, conversation) {
      close();
      const controller = new AbortController();
      const signal = AbortSignal.any([session.signal, controller.signal]);
      const { client, identity } = session;
      header(session, conversation);

      const fetchDetails = async (id) => {
        try {
          return { message: await client.getMessage(id, { fields: await detailFields(), signal }) };
        } catch (error) {
          return isAborted(error) ? {} : { error };
        }
      };

      const list = h("ol", { class: "messages", "aria-label": "Messages, newest first" });
      const status = h("div", { class: "list-more", "aria-live": "polite" });
      replace(body, list, status);
      body.scrollTop = 0;

      // Rows without details ask for them when they scroll into view.
      const observer = observeVisible(body, (row) => {
        observer.unobserve(row);
        row.resolve?.();
      });
      const pages = (async function* () {
        const fields = await detailFields();
        yield* client.messages(conversation.id, { limit: PAGE_SIZE, fields, signal }).pages();
      })();
      const loader = pageOnScroll({
        pages,
        sentinel: status,
        root: body,
        status,
        render(page) {
          const rows = (page.data ?? []).map((m) => renderMessage(m, identity, fetchDetails));
          list.append(...rows);
          rows.filter((row) => row.resolve).forEach((row) => observer.observe(row));
          return rows.length;
        },
        text: {
          doing: "Loading messages",
          loading: "Loading messages…",
          end: (n) => `Start of the conversation (${n} messages).`,
          empty: "No messages in this thread.",
        },
      });
      current = { controller, loader, observer };
    },
  };
}
