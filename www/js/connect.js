// @ts-check
// The connect panel: where to call (base URL, API version), with which token, for which inbox.
// On the embedded simulator, presets for its accounts come from `/__sim/accounts` and the page
// connects to the first one at once. The token lives only in the form field and the client.
import { ConversationsClient } from "graph-conversations";
import { h, replace } from "./dom.js";
import { errorBox } from "./errors.js";
import { Identity } from "./people.js";
import { presetsOf, simulatorAccounts, simulatorThreadTotal } from "./simulator.js";

/**
 * The form's control named `name` (an <input> or a <select>: both have a `value`).
 * @param {HTMLFormElement} form
 * @param {string} name
 */
const field = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

/** @param {HTMLFormElement} form */
function readForm(form) {
  /** @param {string} name */
  const v = (name) => field(form, name).value.trim();
  return {
    baseUrl: v("baseUrl").replace(/\/+$/, ""),
    accessToken: v("accessToken"),
    account: v("account"),
    platform: /** @type {import("graph-conversations").Platform} */ (v("platform")),
    apiVersion: v("apiVersion"),
    requestsPerSecond: Number(v("requestsPerSecond")),
  };
}

/**
 * A connection: the client and what identifies the inbox. `signal` aborts when a newer
 * connection replaces this one, so every panel's pending work stops with it. `threadTotal()`
 * resolves to the inbox's thread count where it is known (on the simulator), else undefined.
 * @typedef {object} Session
 * @property {ConversationsClient} client
 * @property {string} accountId
 * @property {import("graph-conversations").Platform} platform
 * @property {number} requestsPerSecond
 * @property {Identity} identity
 * @property {AbortSignal} signal
 * @property {() => Promise<number | undefined>} threadTotal
 */

/**
 * @param {ReturnType<typeof readForm>} settings
 * @param {AbortSignal} signal
 * @param {boolean} onSimulator
 * @returns {Session}
 */
function openSession(settings, signal, onSimulator) {
  const { baseUrl, accessToken, apiVersion, requestsPerSecond, account, platform } = settings;
  const client = new ConversationsClient({ accessToken, baseUrl, apiVersion, requestsPerSecond });
  const simulated = onSimulator && baseUrl === location.origin;
  return {
    client,
    accountId: account,
    platform,
    requestsPerSecond,
    identity: new Identity(account),
    signal,
    threadTotal: async () => (simulated ? simulatorThreadTotal(baseUrl, accessToken, platform) : undefined),
  };
}

/**
 * Wires the form; `onConnect(session)` is called for each connection. Bad options (the client
 * refuses them) are shown in `status` instead.
 * @param {{ form: HTMLFormElement, status: HTMLElement, onConnect: (session: Session) => void }} panel
 */
export async function setupConnect({ form, status, onConnect }) {
  const presetField = /** @type {HTMLElement} */ (form.querySelector(".field-preset"));
  const presetSelect = /** @type {HTMLSelectElement} */ (form.elements.namedItem("preset"));
  field(form, "baseUrl").value = location.origin;

  let current = null; // AbortController of the live session
  let accounts = null; // the simulator's, once known

  const connect = () => {
    const settings = readForm(form);
    current?.abort();
    current = new AbortController();
    let session;
    try {
      session = openSession(settings, current.signal, accounts !== null);
    } catch (e) {
      replace(status, errorBox(e, "Connecting"));
      return;
    }
    replace(status, `Connected to ${settings.baseUrl} as account ${settings.account} (${settings.platform}).`);
    onConnect(session);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    connect();
  });

  accounts = await simulatorAccounts(location.origin);
  const presets = accounts ? presetsOf(accounts) : [];
  if (presets.length === 0) {
    replace(status, "Enter a base URL, an access token and an account, then Connect.");
    return;
  }
  presetField.hidden = false;
  replace(presetSelect, presets.map((p, i) => h("option", { value: String(i) }, p.label)));
  const apply = () => {
    const p = presets[Number(presetSelect.value)];
    field(form, "accessToken").value = p.accessToken;
    field(form, "account").value = p.account;
    field(form, "platform").value = p.platform;
  };
  presetSelect.addEventListener("change", () => {
    apply();
    connect();
  });
  apply();
  connect();
}
