// A TypeScript consumer of the webhook API (WebhookReceiver, WebhookEvent, Inbox, InboxThread),
// compiled with consumer.ts under every tsconfig.*.json but the sync one (DOM lib and Node-only
// types). Lines marked @ts-expect-error must stay errors.
import {
  ConversationsClient,
  GraphApiError,
  Inbox,
  WebhookReceiver,
  type InboxAccount,
  type InboxThread,
  type Message,
  type WebhookBody,
  type WebhookEvent,
  type WebhookReceiverOptions,
} from "graph-conversations";

const options: WebhookReceiverOptions = { appSecret: "APP-SECRET", additionalSecrets: ["IG-APP-SECRET"], verifyToken: "VERIFY", maxBodyBytes: 1 << 20 };
export const receiver = new WebhookReceiver(options);
// @ts-expect-error appSecret is required
export const noSecret = new WebhookReceiver({ verifyToken: "VERIFY" });

/** What a store does with each event, by kind: every branch narrows on `type`. */
export function describe(e: WebhookEvent): string {
  const head = `${e.platform} ${e.accountId} ${e.userId} ${e.timestamp} ${e.time}`;
  const raw: Record<string, unknown> = e.raw;
  switch (e.type) {
    case "message":
    case "echo": {
      const message: Message = e.message;
      return `${head} ${message.id} ${message.message ?? ""} ${Object.keys(raw).length}`;
    }
    case "edit":
      return `${head} ${e.mid} ${e.text ?? ""} ${e.numEdit}`;
    case "reaction": {
      const action: "react" | "unreact" = e.action;
      return `${head} ${e.mid} ${action} ${e.reaction ?? ""} ${e.emoji ?? ""}`;
    }
    case "read":
      return `${head} ${e.mid ?? ""} ${e.watermark ?? 0}`;
    case "delivery":
      return `${head} ${(e.mids ?? []).join(",")} ${e.watermark ?? 0}`;
    case "unsend":
      return `${head} ${e.mid}`;
    case "postback":
      return `${head} ${e.payload ?? ""}`;
    case "referral":
      return `${head} ${JSON.stringify(e.referral)}`;
    case "optin":
      return `${head} ${JSON.stringify(e.optin)}`;
    case "handover":
      return `${head} ${e.action}`;
    case "unknown":
      return head;
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function messageIds(events: WebhookEvent[]): string[] {
  const ids: string[] = [];
  for (const e of events) {
    if (e.type === "message") ids.push(e.message.id);
    // @ts-expect-error only message and echo events carry a message
    if (e.type === "reaction") ids.push(e.message.id);
  }
  return ids;
}

/** A fetch-style handler (Workers, Deno.serve, Node's global Request). */
export function fetchHandler(store: (events: WebhookEvent[]) => Promise<void>): (request: Request) => Promise<Response> {
  return (request) => receiver.handle(request, async (events, { secretIndex }) => {
    const index: number = secretIndex;
    console.log(index);
    await store(events);
  });
}

/** Raw bytes from a framework that buffers the body. */
export async function fromRawBody(rawBody: Uint8Array | ArrayBuffer | string, header: string | undefined): Promise<WebhookEvent[]> {
  const body: WebhookBody = rawBody;
  if (!(await receiver.verify(body, header))) return [];
  const which: number = await receiver.matchSecret(body, header ?? null);
  console.log(which);
  try {
    return await receiver.receive(body, header);
  } catch (e) {
    if (e instanceof GraphApiError && (e.kind === "invalid_signature" || e.kind === "invalid_payload")) return [];
    throw e;
  }
}

// @ts-expect-error a parsed body is not a WebhookBody
export const parsed = receiver.receive({ object: "page" }, null);

/** The merged inbox: sync, then events, then the threads as a reader sees them. */
export async function merged(client: ConversationsClient, pageId: string, events: WebhookEvent[]): Promise<InboxThread[]> {
  const inbox = new Inbox();
  const account: InboxAccount = { platform: "messenger", accountId: pageId };
  for await (const item of client.syncInbox(pageId, { platform: "messenger", since: inbox.since() })) {
    inbox.applySync(item, account);
  }
  inbox.applyEvents(events);
  const since: string | undefined = inbox.since();
  const linked: boolean = inbox.linkConversation(`messenger:${pageId}:1`, "t_1");
  console.log(since, linked);
  const threads = inbox.threads();
  for (const t of threads) {
    const key: string = t.key;
    const conversationId: string | undefined = t.conversationId;
    const newest: Message | undefined = t.messages[0];
    const read: number | undefined = t.readWatermark;
    console.log(key, t.platform, t.accountId, t.userId, t.updated_time, conversationId, newest?.id, read, t.participants?.data.length);
  }
  const one: InboxThread | undefined = inbox.thread(`messenger:${pageId}:1`);
  // @ts-expect-error thread() may be undefined
  console.log(inbox.thread("k").messages);
  // @ts-expect-error applyEvents takes events, not a body
  inbox.applyEvents("{}");
  return one ? [one, ...threads] : threads;
}
