// @ts-check
// What the live inbox asks of the demo server, on its own origin: /api/ (the inbox service,
// proxied with the API key added server-side) and /demo/ (what only the demo has: simulated
// accounts to connect, graph-sim's counters). The page never holds a token or the API key.

/** @typedef {"messenger" | "instagram"} Platform */
/** @typedef {"queued" | "syncing" | "live" | "failed"} Status */

/**
 * @typedef {object} Progress
 * @property {number} conversations
 * @property {number} messages
 * @property {number} requests
 * @property {number} throttled
 * @property {number} pageSize
 * @property {number} nestedLimit
 * @property {number} startedAt unix ms
 * @property {number} [doneAt] unix ms
 */

/**
 * An account as the service lists it (never a token).
 * @typedef {object} Account
 * @property {string} accountId
 * @property {Platform} platform
 * @property {Status} status
 * @property {Progress | null} progress
 * @property {number} threads
 * @property {number | null} lastEventAt unix ms
 * @property {string} [error]
 */

/**
 * @typedef {object} Participant
 * @property {string} id
 * @property {string} [name]
 * @property {string} [username]
 * @property {string} [email]
 */

/**
 * A Graph message; one with only `id` and `created_time` is older than Meta's newest 20.
 * @typedef {{ id: string, created_time: string | number, from?: Participant, message?: string,
 *   reactions?: { data: { reaction: string, users?: Participant[] }[] } } & Record<string, any>} Message
 */

/**
 * A thread of the merged inbox; in listings and live events `messages` are its newest 3.
 * @typedef {object} InboxThread
 * @property {string} key `"<platform>:<accountId>:<userId>"`
 * @property {Platform} platform
 * @property {string} accountId
 * @property {string} userId
 * @property {string} [conversationId]
 * @property {string} updated_time
 * @property {{ data: Participant[] }} [participants]
 * @property {Message[]} messages
 */

/**
 * @template T
 * @typedef {{ data: T[], next?: string }} Page
 */

/**
 * A simulated account one may connect (its token stays on the server).
 * @typedef {object} DemoAccount
 * @property {string} accountId
 * @property {Platform} platform
 * @property {string} name
 * @property {string} [pageId]
 * @property {boolean} connected
 */

/**
 * graph-sim's cumulative counters.
 * @typedef {object} DemoStats
 * @property {number} now unix ms
 * @property {{ posts: number, delivered: number, duplicates: number, failedAttempts: number }} webhooks
 * @property {Record<string, { served: number, throttled: number, minGapMs: number | null }>} calls
 */

/**
 * @typedef {object} DemoInfo
 * @property {{ restarts: number, pid: number | null }} service
 * @property {string} directUrl
 */

/** A failed call: the status and the server's message. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * JSON from a same-origin path; an ApiError for an error status (with the body's message).
 * @param {string} path
 * @param {RequestInit} [init]
 */
async function call(path, init) {
  let res;
  try {
    res = await fetch(path, { cache: "no-store", ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch (e) {
    if (init?.signal?.aborted) throw e;
    throw new ApiError("the demo server cannot be reached", 0);
  }
  const text = await res.text();
  /** @type {any} */
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: an error page
  }
  if (!res.ok) throw new ApiError(body?.error?.message ?? `HTTP ${res.status}`, res.status);
  return body;
}

/** @param {Record<string, string | number | undefined>} params */
const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : "";
};

/** @param {string} accountId */
export const accountPath = (accountId) => `/api/accounts/${encodeURIComponent(accountId)}`;

/** @returns {Promise<Account[]>} */
export const listAccounts = () => call("/api/accounts");

/**
 * @param {string} accountId
 * @param {{ limit?: number, cursor?: string, signal?: AbortSignal }} options
 * @returns {Promise<Page<InboxThread>>}
 */
export const listThreads = (accountId, { limit, cursor, signal }) =>
  call(`${accountPath(accountId)}/threads${query({ limit, cursor })}`, { signal });

/**
 * @param {string} accountId
 * @param {string} key
 * @param {{ limit?: number, cursor?: string, signal?: AbortSignal }} options
 * @returns {Promise<Page<Message>>}
 */
export const listMessages = (accountId, key, { limit, cursor, signal }) =>
  call(`${accountPath(accountId)}/threads/${encodeURIComponent(key)}/messages${query({ limit, cursor })}`, { signal });

/** @returns {Promise<DemoAccount[]>} */
export const demoAccounts = () => call("/demo/accounts");

/**
 * Connects a simulated account through the service (the server adds its token).
 * @param {string} accountId
 * @param {Platform} platform
 * @returns {Promise<Account>}
 */
export const connectDemoAccount = (accountId, platform) =>
  call("/demo/connect", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accountId, platform }) });

/** @returns {Promise<DemoStats>} */
export const demoStats = () => call("/demo/stats");

/** @returns {Promise<DemoInfo>} */
export const demoInfo = () => call("/demo/info");

/** Asks the demo server to kill the service process (it starts it again). */
export const restartService = () => call("/demo/restart", { method: "POST" });

/**
 * A message Graph lists without details: only `id` and `created_time` (older than its newest 20).
 * @param {Message} m
 */
export const isBare = (m) => Object.keys(m).every((k) => k === "id" || k === "created_time");
