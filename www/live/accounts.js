// @ts-check
// The accounts view: every connected account with its platform, sync state (queued; syncing
// with its progress and pace; live; failed with the reason), thread count and last activity,
// and the control that connects another simulated account through the service.
import { h, replace } from "../js/dom.js";
import { connectDemoAccount } from "./api.js";
import { PLATFORM_LABEL } from "./names.js";

const STATUS_LABEL = { queued: "queued", syncing: "syncing", live: "live", failed: "failed" };
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });

/** "12 s ago", "3 min ago": how long ago `ms` was. */
export function ago(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return relative.format(-s, "second");
  if (s < 3600) return relative.format(-Math.floor(s / 60), "minute");
  if (s < 86400) return relative.format(-Math.floor(s / 3600), "hour");
  return relative.format(-Math.floor(s / 86400), "day");
}

/**
 * A sync's pace: requests per second from its start to its end (or now).
 * @param {import("./api.js").Progress} p
 */
export function pace(p, now = Date.now()) {
  const seconds = ((p.doneAt ?? now) - p.startedAt) / 1000;
  return seconds > 0 ? p.requests / seconds : 0;
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * The lines under an account's name.
 * @param {import("./api.js").Account} a
 */
function details(a, now = Date.now()) {
  const lines = [];
  const p = a.progress;
  const counts = [
    PLATFORM_LABEL[a.platform],
    plural(a.threads, "thread"),
    a.lastEventAt ? `active ${ago(a.lastEventAt, now)}` : "no activity yet",
  ];
  lines.push(h("span", { class: "account-line" }, counts.join(" · ")));
  if (a.status === "syncing" && p) {
    lines.push(
      h(
        "span",
        { class: "account-line account-progress" },
        `${plural(p.conversations, "conversation")} · ${plural(p.requests, "request")} · `,
        h("strong", {}, `${pace(p, now).toFixed(2)} req/s`),
        p.throttled ? ` · ${p.throttled} throttled` : "",
      ),
    );
  } else if (a.status === "syncing") {
    lines.push(h("span", { class: "account-line account-progress" }, "starting the backfill…"));
  } else if (a.status === "queued") {
    lines.push(h("span", { class: "account-line" }, "waiting for its backfill to start"));
  } else if (a.status === "live" && p?.doneAt) {
    // The last sync: the backfill, or a catch-up since. A pace says something over many requests only.
    const ms = p.doneAt - p.startedAt;
    const took = ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
    const bits = [`synced ${plural(p.conversations, "thread")} in ${took}`, plural(p.requests, "request")];
    if (p.requests >= 10) bits.push(`${pace(p).toFixed(2)}/s`);
    lines.push(h("span", { class: "account-line" }, bits.join(" · ")));
  }
  if (a.status === "failed") lines.push(h("span", { class: "account-line account-error" }, a.error ?? "failed, no reason given"));
  return lines;
}

/**
 * @param {{ list: HTMLElement, count: HTMLElement, status: HTMLElement, form: HTMLFormElement,
 *   connectStatus: HTMLElement, onSelect: (accountId: string) => void,
 *   onConnected: (account: import("./api.js").Account) => void }} parts
 */
export function createAccountsView({ list, count, status, form, connectStatus, onSelect, onConnected }) {
  /** @type {Map<string, import("./api.js").Account>} */
  const accounts = new Map();
  /** @type {Map<string, import("./api.js").DemoAccount>} */
  let demo = new Map();
  /** @type {string | null} */
  let selected = null;
  const select = /** @type {HTMLSelectElement} */ (form.elements.namedItem("account"));
  const button = /** @type {HTMLButtonElement} */ (form.querySelector("button"));
  let connecting = false;

  /** @param {string} id */
  const itemOf = (id) => /** @type {HTMLElement | null} */ (list.querySelector(`[data-account-id="${CSS.escape(id)}"]`));

  /** @param {import("./api.js").Account} a */
  function renderItem(a) {
    let li = itemOf(a.accountId);
    if (!li) {
      const pick = h("button", { type: "button", class: "account-pick", onclick: () => onSelect(a.accountId) });
      li = h("li", { class: "account", dataset: { accountId: a.accountId } }, pick);
      list.append(li);
    }
    li.dataset.status = a.status;
    li.dataset.platform = a.platform;
    const pick = /** @type {HTMLButtonElement} */ (li.querySelector(".account-pick"));
    const name = demo.get(a.accountId)?.name ?? a.accountId;
    const detailsId = `account-details-${a.accountId.replace(/[^\w-]/g, "_")}`;
    pick.setAttribute("aria-pressed", String(a.accountId === selected));
    pick.setAttribute("aria-label", `${name}, ${PLATFORM_LABEL[a.platform]}, ${STATUS_LABEL[a.status]}`);
    pick.title = `${PLATFORM_LABEL[a.platform]} account ${a.accountId}`;
    replace(
      pick,
      h(
        "span",
        { class: "account-top" },
        h("span", { class: "account-name", dir: "auto" }, name),
        h("span", { class: `status status-${a.status}` }, STATUS_LABEL[a.status]),
      ),
      h("span", { class: "account-details", id: detailsId }, details(a)),
    );
    pick.setAttribute("aria-describedby", detailsId);
  }

  function renderAll() {
    for (const a of accounts.values()) renderItem(a);
    for (const li of /** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll("[data-account-id]"))) {
      if (!accounts.has(li.dataset.accountId ?? "")) li.remove();
    }
    replace(count, accounts.size ? plural(accounts.size, "account") : "");
    renderConnectOptions();
  }

  function renderConnectOptions() {
    const candidates = [...demo.values()].filter((d) => !d.connected && !accounts.has(d.accountId));
    const keep = select.value;
    if (demo.size === 0) {
      select.replaceChildren(h("option", { value: "" }, "No simulated accounts known"));
    } else if (candidates.length === 0) {
      select.replaceChildren(h("option", { value: "" }, "Every simulated account is connected"));
    } else {
      select.replaceChildren(
        ...candidates.map((d) =>
          h("option", { value: d.accountId, selected: d.accountId === keep }, `${d.name} · ${PLATFORM_LABEL[d.platform]}`),
        ),
      );
    }
    select.disabled = connecting || candidates.length === 0;
    button.disabled = connecting || candidates.length === 0;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = demo.get(select.value);
    if (!target || connecting) return;
    connecting = true;
    renderConnectOptions();
    replace(connectStatus, `Connecting ${target.name}…`);
    try {
      const account = await connectDemoAccount(target.accountId, target.platform);
      demo.set(target.accountId, { ...target, connected: true });
      accounts.set(account.accountId, account);
      replace(connectStatus, `${target.name} connected: its backfill shows above.`);
      const said = connectStatus.textContent;
      setTimeout(() => connectStatus.textContent === said && replace(connectStatus, ""), 10_000);
      renderAll();
      onConnected(account);
    } catch (e) {
      replace(connectStatus, h("span", { class: "account-error" }, `Connecting ${target.name} failed: ${/** @type {Error} */ (e).message}`));
    } finally {
      connecting = false;
      renderConnectOptions();
    }
  });

  return {
    /** @param {import("./api.js").Account[]} list */
    setAll(list) {
      accounts.clear();
      for (const a of list) accounts.set(a.accountId, a);
      renderAll();
    },
    /** One account's new state (a live event). @param {import("./api.js").Account} a */
    update(a) {
      accounts.set(a.accountId, a);
      renderItem(a);
    },
    /** @param {import("./api.js").DemoAccount[]} list */
    setDemo(list) {
      demo = new Map(list.map((d) => [d.accountId, d]));
      renderAll();
    },
    /** @param {string} id */
    get: (id) => accounts.get(id),
    /** @param {string} id */
    demoOf: (id) => demo.get(id),
    all: () => [...accounts.values()],
    /** @param {string | null} id */
    select(id) {
      selected = id;
      for (const a of accounts.values()) renderItem(a);
    },
    /** @param {string | Node} text */
    setStatus(text) {
      replace(status, text);
    },
  };
}
