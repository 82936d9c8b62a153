// A TypeScript consumer of the installed package, using every public operation the way the README
// documents it. Compiled with `tsc --strict --noEmit` (never run) by types.test.mjs under
// several module resolutions and libs. Lines marked @ts-expect-error must stay errors.
import {
  ConversationsClient,
  GraphApiError,
  computeAppSecretProof,
  initWasm,
  type Conversation,
  type Message,
  type Page,
  type Participant,
} from "graph-conversations";
import { initWasm as initSlim, ConversationsClient as SlimClient } from "graph-conversations/slim";

// ---- client construction ----------------------------------------------------------------------

/** Server side (Node, Deno, Workers): the app secret never leaves the server. */
export async function serverClient(accessToken: string, appSecret: string): Promise<ConversationsClient> {
  const appSecretProof = await computeAppSecretProof(accessToken, appSecret);
  const proof: string = appSecretProof.proof;
  const time: number = appSecretProof.time;
  const fixed = await computeAppSecretProof(accessToken, appSecret, 1_700_000_000);
  console.log(proof.length, time, fixed.time);
  return new ConversationsClient({
    accessToken,
    apiVersion: "v26.0",
    baseUrl: "https://graph.facebook.com",
    appSecretProof,
    maxRetries: 4,
    requestsPerSecond: 2,
    timeoutMs: 30_000,
    tokenTransport: "header",
  });
}

export const instagramLogin = new ConversationsClient({
  accessToken: "IG-USER-TOKEN",
  baseUrl: "https://graph.instagram.com",
  tokenTransport: "query",
  requestsPerSecond: 0,
});

// ---- one page, and paging by hand -------------------------------------------------------------

export async function firstTwoPages(client: ConversationsClient, pageId: string, signal?: AbortSignal) {
  const page: Page<Conversation> = await client.listConversations(pageId, {
    platform: "messenger",
    folder: "inbox",
    limit: 25,
    fields: ["participants", "snippet", "unread_count", "messages.limit(20){id,message}"],
    signal,
  });
  const rows: string[] = [];
  for (const thread of page.data) {
    const id: string = thread.id;
    const updated: string = thread.updated_time;
    const unread: number = thread.unread_count ?? 0;
    const people: Participant[] = thread.participants?.data ?? [];
    const ids: string[] = people.map((p) => p.id);
    const names = people.map((p) => p.name ?? p.username ?? p.id);
    const preview: string | undefined = thread.snippet;
    const newest: Message[] = thread.messages?.data ?? [];
    rows.push(`${id} ${updated} ${unread} ${ids.join()} ${names.join()} ${preview} ${newest.length}`);
  }
  const after: string | undefined = page.paging?.cursors?.after;
  if (page.paging?.next !== undefined && after !== undefined) {
    const second = await client.listConversations(pageId, { platform: "messenger", limit: 25, after });
    rows.push(...second.data.map((t) => t.id));
    const back = second.paging?.cursors?.before;
    if (back) await client.listConversations(pageId, { platform: "messenger", before: back });
  }
  return rows;
}

// ---- every thread, every message ---------------------------------------------------------------

export async function wholeInbox(client: ConversationsClient, signal: AbortSignal = AbortSignal.timeout(60_000)) {
  const threads = client.conversations("me", { platform: "instagram", limit: 50, fields: ["participants"], signal });
  const seen = new Map<string, Conversation>();
  for await (const thread of threads) {
    seen.set(thread.id, thread);
    if (seen.size >= 500) break;
  }
  let pages = 0;
  for await (const page of client.conversations("me", { platform: "instagram", folder: "inbox" }).pages()) {
    pages += page.data.length > 0 ? 1 : 0;
  }
  const firstHundred: Conversation[] = await client
    .conversations("me", { platform: "messenger" })
    .toArray({ limit: 100 });

  const [thread] = firstHundred;
  if (thread === undefined) return { seen, pages, messages: [] as Message[] };
  const messages: Message[] = [];
  for await (const m of client.messages(thread.id, { limit: 100, fields: ["id", "created_time", "message"], signal })) {
    messages.push(m);
  }
  for await (const page of client.messages(thread.id).pages()) console.log(page.data.length, page.paging?.next);
  const newest20 = await client.messages(thread.id).toArray({ limit: 20 });
  return { seen, pages, messages: messages.concat(newest20) };
}

// ---- one thread, one message ------------------------------------------------------------------

export async function threadWith(client: ConversationsClient, pageId: string, psid: string) {
  const thread: Conversation | null = await client.findConversation(pageId, {
    platform: "messenger",
    userId: psid,
    fields: ["participants", "updated_time"],
  });
  if (thread === null) return null;
  // @ts-expect-error: findConversation can resolve to null; the check above is needed
  (await client.findConversation(pageId, { platform: "messenger", userId: psid })).id;

  const full: Conversation = await client.getConversation(thread.id);
  const withFields = await client.getConversation(thread.id, { fields: ["participants", "messages"] });
  const page: Page<Message> = await client.listMessages(full.id);
  const older = await client.listMessages(full.id, {
    limit: 10,
    after: page.paging?.cursors?.after,
    fields: ["id", "created_time", "from", "message", "attachments"],
  });
  const newest = page.data[0];
  if (newest === undefined) return { full, withFields, older, detail: null };
  const detail: Message = await client.getMessage(newest.id);
  const partial = await client.getMessage(newest.id, { fields: ["id", "message"], signal: AbortSignal.timeout(5_000) });
  const created: string = detail.created_time;
  const from: string | undefined = detail.from?.name ?? detail.from?.username;
  const to: Participant[] | undefined = detail.to?.data;
  const text: string | undefined = detail.message;
  const images = detail.attachments?.data.map((a) => a.image_data?.url ?? a.file_url ?? a.mime_type);
  const replyTo: string | undefined = detail.reply_to?.mid;
  const story = detail.story?.reply_to?.link ?? detail.story?.mention?.id;
  const unknownToTheTypes: unknown = detail.some_field_graph_adds_later;
  console.log(created, from, to, text, images, replyTo, story, unknownToTheTypes, partial.id);
  return { full, withFields, older, detail };
}

// ---- errors ----------------------------------------------------------------------------------

export function describe(error: unknown): string {
  if (!(error instanceof GraphApiError)) return String(error);
  const base = `${error.name}: ${error.message} (HTTP ${error.status ?? "-"}, code ${error.code ?? "-"}/${error.subcode ?? "-"}, ${error.type ?? "-"}, trace ${error.fbtraceId ?? "-"})`;
  const transient: boolean = error.isTransient;
  switch (error.kind) {
    case "rate_limited":
      return `${base}: retry in ${error.retryAfterMs ?? 60_000} ms`;
    case "message_unavailable":
      return `${base}: only the newest 20 messages of a thread have details`;
    case "auth":
    case "permission":
      return `${base}: ask for a new token`;
    case "transient":
    case "network":
    case "timeout":
      return `${base}: transient=${transient}`;
    case "invalid_argument":
    case "not_found":
    case "reduce_data":
    case "aborted":
    case "invalid_response":
    case "graph":
      return base;
    case "invalid_signature":
    case "invalid_payload":
      return `${base}: a webhook delivery refused`;
    default: {
      // Every kind the README lists (GraphApiError) is handled above; a new kind must be added here.
      const unhandled: never = error.kind;
      return unhandled;
    }
  }
}

export async function guarded(client: ConversationsClient) {
  try {
    return await client.listConversations("me", { platform: "messenger" });
  } catch (e) {
    if (e instanceof GraphApiError && e.kind === "rate_limited") return null;
    if (e instanceof Error) console.error(e.message);
    throw e;
  }
}

// ---- loading the wasm ----------------------------------------------------------------------------

export async function preload(bytes: Uint8Array, module: WebAssembly.Module) {
  await initWasm();
  await initWasm(new URL("https://cdn.example/graph_conversations_bg.wasm"));
  await initWasm("/assets/graph_conversations_bg.wasm");
  await initWasm(bytes);
  await initWasm(bytes.buffer as ArrayBuffer);
  await initWasm(module);
  await initSlim(fetch("/assets/graph_conversations_bg.wasm"));
  const slim = new SlimClient({ accessToken: "t" });
  const usage = slim.usage;
  const calls: number | undefined = usage?.app?.call_count;
  console.log(calls);
  slim.free();
}

// ---- what the types refuse ----------------------------------------------------------------------

export async function refused(client: ConversationsClient, page: Page<Conversation>) {
  // @ts-expect-error: accessToken is required
  new ConversationsClient({ baseUrl: "https://graph.facebook.com" });
  // @ts-expect-error: no such token transport
  new ConversationsClient({ accessToken: "t", tokenTransport: "cookie" });
  // @ts-expect-error: timeoutMs is a number
  new ConversationsClient({ accessToken: "t", timeoutMs: "30s" });
  // @ts-expect-error: an unknown platform
  await client.listConversations("me", { platform: "whatsapp" });
  // @ts-expect-error: platform is required
  await client.listConversations("me", { limit: 10 });
  // @ts-expect-error: fields is an array of names
  await client.listConversations("me", { platform: "messenger", fields: "participants" });
  // @ts-expect-error: limit is a number
  await client.listConversations("me", { platform: "messenger", limit: "10" });
  // @ts-expect-error: findConversation needs the user
  await client.findConversation("me", { platform: "instagram" });
  // @ts-expect-error: a page is not iterable; conversations() is
  for await (const t of client.listConversations("me", { platform: "messenger" })) console.log(t);
  // @ts-expect-error: toArray needs its limit
  await client.conversations("me", { platform: "messenger" }).toArray();
  // @ts-expect-error: ids are strings
  const n: number = page.data[0]!.id;
  // @ts-expect-error: a field the types do not know is `unknown`, not a string
  const s: string = page.data[0]!.some_field_graph_adds_later;
  const e = new GraphApiError("x", { kind: "auth" });
  // @ts-expect-error: not one of the documented kinds
  if (e.kind === "forbidden") console.log(n, s);
  // @ts-expect-error: an app secret proof has a proof and a time
  new ConversationsClient({ accessToken: "t", appSecretProof: { proof: "p" } });
}
