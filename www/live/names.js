// @ts-check
// Who is who in the live inbox: the connected account (the business) and the customer of each
// thread. Webhook copies of messages carry only `from: {id}`; their names come from the thread's
// participants (a sync's) or, for the business, from the simulated account's name.
import { displayName } from "../js/people.js";

/**
 * The account a thread view works in: its id, its name, and which ids are "us".
 * @typedef {object} AccountContext
 * @property {string} accountId
 * @property {import("./api.js").Platform} platform
 * @property {string} name
 * @property {string} [pageId]
 * @property {(id: string | undefined) => boolean} isSelf
 */

/**
 * @param {import("./api.js").Account} account
 * @param {() => import("./api.js").DemoAccount | undefined} demo its simulated account, once known
 * @returns {AccountContext}
 */
export function accountContext(account, demo) {
  const { accountId, platform } = account;
  return {
    accountId,
    platform,
    get name() {
      return demo()?.name ?? accountId;
    },
    get pageId() {
      return demo()?.pageId;
    },
    isSelf: (id) => id === accountId,
  };
}

export const PLATFORM_LABEL = { messenger: "Messenger", instagram: "Instagram" };

/**
 * The thread's customer: the participant with its user id.
 * @param {import("./api.js").InboxThread} thread
 * @returns {import("./api.js").Participant}
 */
export function customerOf(thread) {
  return thread.participants?.data?.find((p) => p.id === thread.userId) ?? { id: thread.userId };
}

/**
 * Names a sender or reactor of `thread`: its own name or username, else the participant with
 * its id, else the account's name for the business, else its id.
 * @param {import("./api.js").InboxThread} thread
 * @param {AccountContext} account
 * @returns {(who: { id?: string, name?: string, username?: string } | undefined) => string}
 */
export function namer(thread, account) {
  return (who) => {
    if (!who) return "Unknown";
    if (who.name || who.username) return displayName(who);
    const known = thread.participants?.data?.find((p) => p.id === who.id);
    if (known && (known.name || known.username)) return displayName(known);
    if (account.isSelf(who.id)) return account.name;
    return who.id ?? "Unknown";
  };
}
