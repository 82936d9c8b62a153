// The installed package in Deno, resolved the way Deno users get it: package.json +
// node_modules, `node` export condition. Run by scripts/test-runtimes.sh as
//   deno test --allow-net=127.0.0.1:PORT --allow-read=node_modules/graph-conversations/wasm \
//     deno/client.test.ts -- http://127.0.0.1:PORT
import { ConversationsClient, GraphApiError, type Conversation } from "graph-conversations";

const [simUrl] = Deno.args;
if (!simUrl) throw new Error("pass the simulator URL after --");
const PAGE = { id: "106000000000001", token: "sim-page-token" };
const IG = { id: "17841400000000001", token: "sim-ig-token" };

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
function assertEquals<T>(actual: T, expected: T, msg: string) {
  if (actual !== expected) {
    throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
async function rejection(promise: Promise<unknown>, msg: string): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`${msg}: expected a rejection`);
}
async function sim(path: string, init?: RequestInit) {
  const res = await fetch(`${simUrl}/__sim/${path}`, init);
  assert(res.ok, `sim ${path}: HTTP ${res.status}`);
  return res.json();
}
async function listedThreads(accountId: string, platform: string): Promise<number> {
  const accounts: { id: string; inboxes: { platform: string; listed_threads: number }[] }[] =
    await sim("accounts");
  const account = accounts.find((a) => a.id === accountId);
  assert(account, `account ${accountId}`);
  const inbox = account.inboxes.find((i) => i.platform === platform);
  assert(inbox, `${platform} inbox`);
  return inbox.listed_threads;
}

const client = (token = PAGE.token) =>
  new ConversationsClient({ accessToken: token, baseUrl: simUrl, requestsPerSecond: 0 });

Deno.test("lists one page of threads", async () => {
  await sim("reset", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const page = await client().listConversations(PAGE.id, {
    platform: "messenger",
    limit: 5,
    fields: ["participants", "snippet", "updated_time"],
  });
  const data = page.data ?? [];
  assertEquals(data.length, 5, "a page of 5");
  for (const t of data) {
    assert(typeof t.id === "string" && t.id.length > 0, "thread id");
    assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/.test(t.updated_time ?? ""), `updated_time ${t.updated_time}`);
    assert((t.participants?.data ?? []).length >= 2, "participants");
  }
  assert(page.paging?.cursors?.after, "an after cursor");
});

Deno.test("pages across several pages, every thread once", async () => {
  const expected = await listedThreads(PAGE.id, "messenger");
  assert(expected >= 8, `the simulator lists enough threads (${expected})`);
  const limit = Math.floor(expected / 4); // at least 4 pages, whatever the simulator's inbox size
  const c = client();
  const pages = [];
  for await (const page of c.conversations(PAGE.id, { platform: "messenger", limit }).pages()) {
    pages.push(page);
  }
  assert(pages.length > 3, `more than 3 pages (${pages.length})`);
  const ids = pages.flatMap((p) => (p.data ?? []).map((t) => t.id));
  assertEquals(new Set(ids).size, ids.length, "no thread twice");
  assertEquals(ids.length, expected, "every listed thread");

  const items: Conversation[] = [];
  for await (const t of c.conversations(PAGE.id, { platform: "messenger", limit: limit + 1 })) items.push(t);
  assertEquals(items.map((t) => t.id).join(), ids.join(), "item iteration: same threads, same order");
  const some = await c.conversations(PAGE.id, { platform: "messenger", limit: 2 }).toArray({ limit: 5 });
  assertEquals(some.length, 5, "toArray stops at its limit");

  const ig = await client(IG.token).conversations("me", { platform: "instagram", limit: 25 }).toArray({ limit: 1000 });
  assertEquals(ig.length, await listedThreads(IG.id, "instagram"), "Instagram Login form: every thread");
});

Deno.test("finds the thread with one user, null for a stranger", async () => {
  const c = client();
  const page = await c.listConversations(PAGE.id, { platform: "messenger", limit: 1, fields: ["participants"] });
  const thread = page.data?.[0];
  assert(thread, "a thread");
  const customer = thread.participants?.data?.find((p) => p.id !== PAGE.id);
  assert(customer?.id, "a customer participant");
  const found = await c.findConversation(PAGE.id, { platform: "messenger", userId: customer.id });
  assertEquals(found?.id, thread.id, "findConversation finds the thread");
  const none = await c.findConversation(PAGE.id, { platform: "messenger", userId: "99999999999999999" });
  assertEquals(none, null, "null for an unknown user");

  const messages = await c.listMessages(thread.id!, { limit: 3, fields: ["id", "created_time", "from", "message"] });
  assert((messages.data ?? []).length > 0, "listMessages");
  const detail = await c.getMessage(messages.data![0].id!, {});
  assertEquals(detail.id, messages.data![0].id, "getMessage");
});

Deno.test("rejections are GraphApiError with the right kind", async () => {
  const c = client();
  const cases: [() => Promise<unknown>, string][] = [
    [() => client("not-a-valid-token").listConversations(PAGE.id, { platform: "messenger" }), "auth"],
    [() => c.getConversation("t_doesnotexist", {}), "not_found"],
    [() => c.listConversations("a/b", { platform: "messenger" }), "invalid_argument"],
    // @ts-expect-error: a wrong platform is a type error, and rejected at run time too
    [() => c.listConversations(PAGE.id, { platform: "whatsapp" }), "invalid_argument"],
  ];
  for (const [call, kind] of cases) {
    const e = await rejection(call(), kind);
    assert(e instanceof GraphApiError, `${kind}: instanceof GraphApiError (got ${e})`);
    assert(e instanceof Error, `${kind}: instanceof Error`);
    assertEquals(e.kind, kind, "kind");
    assert(!e.message.includes("not-a-valid-token"), "the token is not in the message");
  }

  // The newest-20 rule: the 21st newest message of a long thread has no details.
  let long: Conversation | null = null;
  for await (const t of c.conversations(PAGE.id, { platform: "messenger", fields: ["message_count"] })) {
    if ((t.message_count ?? 0) > 21) {
      long = t;
      break;
    }
  }
  assert(long, "a thread with more than 21 messages");
  const newest = await c.messages(long.id!, { limit: 25 }).toArray({ limit: 21 });
  const e = await rejection(c.getMessage(newest[20].id!, {}), "21st newest");
  assert(e instanceof GraphApiError && e.kind === "message_unavailable", `message_unavailable (got ${e})`);
  assertEquals(e.code, 9000001, "code");
});

Deno.test("computeAppSecretProof (WebCrypto in Deno)", async () => {
  const { computeAppSecretProof } = await import("graph-conversations");
  const p = await computeAppSecretProof("token", "secret", 1700000000);
  assertEquals(p.proof, "3c81f1bf0544f53adccadbaf135235bf73451aadede41a90a122c46e93dcae64", "proof");
});
