// @ts-check
// Who is who in a thread: the business (the connected Page or Instagram account) and the customer.

export function displayName(participant) {
  if (!participant) return "Unknown";
  if (participant.name) return participant.name;
  if (participant.username) return `@${participant.username}`;
  return participant.id ?? "Unknown";
}

/**
 * The ids that are "us". Known up front for a numeric account id; for `me`, learned from the
 * threads themselves: the business is the one participant every thread shares.
 */
export class Identity {
  #ids = new Set();

  constructor(accountId) {
    if (accountId !== "me") this.#ids.add(accountId);
  }

  get known() {
    return this.#ids.size > 0;
  }

  isSelf(id) {
    return this.#ids.has(id);
  }

  learnFrom(conversations) {
    if (this.known) return;
    const lists = conversations.map((c) => (c.participants?.data ?? []).map((p) => p.id));
    if (lists.length === 0) return;
    let common = new Set(lists[0]);
    for (const ids of lists.slice(1)) common = new Set(ids.filter((id) => common.has(id)));
    // One thread only: Graph lists the business last.
    const self = common.size === 1 ? [...common][0] : lists.length === 1 ? lists[0].at(-1) : undefined;
    if (self) this.#ids.add(self);
  }

  /** The customer of a thread (the first participant that is not us). */
  customerOf(conversation) {
    const people = conversation.participants?.data ?? [];
    return people.find((p) => !this.isSelf(p.id)) ?? people[0];
  }
}
