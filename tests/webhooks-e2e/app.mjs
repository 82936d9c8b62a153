// The receiver app of the webhooks end-to-end test, written once for every runtime (workerd,
// Deno, Node): a fetch handler over the installed package. It does what a user's service does
// (WebhookReceiver.handle on /webhooks applying events to an Inbox; syncInbox of the same
// accounts applied with applySync) and adds a small control API for the test:
//   GET  /inbox          inbox.threads()
//   GET  /since          { since: inbox.since() }
//   POST /sync           { platform, accountId, pageId, token, since? }: one syncInbox, every
//                        item applied; answers { conversations } when it is done
//   POST /down, /up      /webhooks answers 503 (as if the service were down) or normally
//   GET  /stats          { posts, events, distinct, appliedAt: { mid: ms },
//                          reactions: { mid: the newest reaction event received for it } }
// The whole state lives in this closure, so it survives /down and /up.

export async function createApp(api, { simUrl, appSecret, verifyToken, graphLagMs }) {
  await api.initWasm();
  const inbox = new api.Inbox({ graphLagMs });
  const receiver = new api.WebhookReceiver({ appSecret, verifyToken });
  const distinct = new Set();
  const stats = { posts: 0, events: 0, appliedAt: {}, reactions: {} };
  let down = false;

  const json = (value, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

  const onEvents = (events) => {
    inbox.applyEvents(events);
    const now = Date.now();
    stats.posts++;
    stats.events += events.length;
    for (const e of events) {
      distinct.add(JSON.stringify([e.platform, e.accountId, e.raw]));
      if ((e.type === "message" || e.type === "echo") && e.message?.id) stats.appliedAt[e.message.id] ??= now;
      if (e.type === "reaction" && !(stats.reactions[e.mid]?.timestamp > e.timestamp)) {
        stats.reactions[e.mid] = { timestamp: e.timestamp, action: e.action, emoji: e.emoji ?? e.reaction ?? null };
      }
    }
  };

  const sync = async ({ platform, accountId, pageId, token, since }) => {
    const client = new api.ConversationsClient({ accessToken: token, baseUrl: simUrl, requestsPerSecond: 0 });
    let conversations = 0;
    for await (const item of client.syncInbox(pageId, { platform, ...(since ? { since } : {}) })) {
      inbox.applySync(item, { platform, accountId });
      conversations++;
    }
    return { conversations };
  };

  return async (request) => {
    const { pathname } = new URL(request.url);
    try {
      switch (`${request.method} ${pathname}`) {
        case "GET /webhooks":
        case "POST /webhooks":
          if (down) return new Response("down", { status: 503 });
          return await receiver.handle(request, onEvents);
        case "GET /inbox":
          return json(inbox.threads());
        case "GET /since":
          return json({ since: inbox.since() ?? null });
        case "POST /sync":
          return json(await sync(await request.json()));
        case "POST /down":
          down = true;
          return json({ down });
        case "POST /up":
          down = false;
          return json({ down });
        case "GET /stats":
          return json({ ...stats, distinct: distinct.size });
        default:
          return json({ error: `no route ${request.method} ${pathname}` }, 404);
      }
    } catch (error) {
      return json({ error: String(error?.stack ?? error), kind: error?.kind }, 500);
    }
  };
}
