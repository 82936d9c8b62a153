// An inbox compared with graph-sim's ground truth (/__sim/truth), message by message: shared by
// the webhooks end to end (tests/webhooks-e2e) and the inbox service's tests (service/test).

/** Graph lists details for the newest 20 messages of a thread only. */
const DETAIL_WINDOW = 20;

/**
 * Every difference between the receiver's inbox and the truth of account `a`, as lines.
 * `delivered`: the message ids the receiver got by webhook (their details outlive Graph's window,
 * and they are all a thread Graph does not list can show).
 */
export function diffInbox(threads, truthInbox, a, delivered) {
  const diffs = [];
  const mine = new Map(threads.filter((t) => t.platform === a.platform && t.accountId === a.accountId).map((t) => [t.userId, t]));
  const expected = new Map(truthInbox.threads.map((t) => [t.customer_id, t]));
  // A thread Graph does not list (the request folder) is known only from its webhooks: it must
  // be there when one reached the receiver, with what they delivered.
  const knowable = (t) => t.listed || t.messages.some((m) => delivered.has(m.id));
  for (const [id, t] of expected) if (!mine.has(id) && knowable(t)) diffs.push(`${a.platform}: thread with ${id} missing`);
  for (const id of mine.keys()) if (!expected.has(id)) diffs.push(`${a.platform}: thread with ${id} not in the truth`);
  const counted = { beyondWindowWithText: 0, texts: 0, reactions: 0, unsent: 0 };
  for (const [customer, t] of expected) {
    const thread = mine.get(customer);
    if (!thread) continue;
    const where = `${a.platform} thread ${t.id} (customer ${customer})`;
    if (thread.conversationId !== undefined && thread.conversationId !== t.id) diffs.push(`${where}: conversationId ${thread.conversationId}`);
    const newestFirst = [...t.messages].reverse();
    const want = newestFirst.filter((m) => !m.unsent && (t.listed || delivered.has(m.id))).map((m) => m.id);
    const got = thread.messages.map((m) => m.id);
    counted.unsent += t.messages.filter((m) => m.unsent).length;
    if (want.join() !== got.join()) {
      const missing = want.filter((id) => !got.includes(id));
      const extra = got.filter((id) => !want.includes(id));
      const unsentShown = extra.filter((id) => t.messages.some((m) => m.id === id && m.unsent));
      diffs.push(`${where}: message ids differ: missing [${missing}], extra [${extra}]${unsentShown.length ? ` (unsent but shown: [${unsentShown}])` : ""}` +
        (missing.length + extra.length === 0 ? `; order: want [${want}] got [${got}]` : ""));
    }
    const shown = new Map(thread.messages.map((m) => [m.id, m]));
    newestFirst.forEach((m, k) => {
      const have = shown.get(m.id);
      if (!have || m.unsent || m.text === undefined) return;
      // Graph lists details for the newest 20 only (unsent ones count); older ones are known
      // from a webhook, or from a sync made while they were still among the newest 20.
      const knowable = k < DETAIL_WINDOW || delivered.has(m.id);
      if (k >= DETAIL_WINDOW && delivered.has(m.id)) counted.beyondWindowWithText++;
      if (knowable || have.message !== undefined) {
        counted.texts++;
        if ((have.message ?? null) !== m.text) diffs.push(`${where}: message ${m.id} (${k} from the newest) text ${JSON.stringify(have.message)}, truth ${JSON.stringify(m.text)}`);
      }
      if (m.reactions === undefined) return;
      counted.reactions += m.reactions.length;
      const wantR = m.reactions.map((r) => r.emoji).sort();
      const gotR = (have.reactions?.data ?? []).flatMap((r) => (r.users ?? [{}]).map(() => r.reaction)).sort();
      if (wantR.join() === gotR.join()) return;
      diffs.push(`${where}: message ${m.id} reactions [${gotR}], truth [${wantR}]`);
    });
  }
  return { diffs, counted };
}
