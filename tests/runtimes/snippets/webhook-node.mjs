// webhooks.mjs: node webhooks.mjs   (Node >= 18; PAGE_TOKEN, PAGE_ID, APP_SECRET and VERIFY_TOKEN
// in the environment). Syncs the Page's Messenger inbox once, then keeps it current from webhooks.
import http from "node:http";
import { Readable } from "node:stream";
import { ConversationsClient, Inbox, WebhookReceiver } from "graph-conversations";

const client = new ConversationsClient({
  accessToken: process.env.PAGE_TOKEN,
  baseUrl: process.env.GRAPH_BASE_URL, // unset: https://graph.facebook.com
});
const receiver = new WebhookReceiver({ appSecret: process.env.APP_SECRET, verifyToken: process.env.VERIFY_TOKEN });
const inbox = new Inbox();
const account = { platform: "messenger", accountId: process.env.PAGE_ID };

for await (const item of client.syncInbox(account.accountId, { platform: account.platform })) {
  inbox.applySync(item, account);
}

function store(events) {
  inbox.applyEvents(events); // in any order, any number of times: duplicates merge
  for (const key of new Set(events.map((e) => `${e.platform}:${e.accountId}:${e.userId}`))) {
    const thread = inbox.thread(key);
    const newest = thread?.messages[0];
    console.log(`${key}  ${thread?.conversationId ?? "(new)"}  ${newest?.id}: ${newest?.message ?? ""}`);
  }
}

// node:http to a fetch Request, so handle() does the handshake, the signature and the answer.
// (Or, with the raw body in hand: `await receiver.receive(rawBody, req.headers["x-hub-signature-256"])`.)
const server = http.createServer(async (req, res) => {
  const request = new Request(new URL(req.url, `http://${req.headers.host}`), {
    method: req.method,
    headers: Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    body: req.method === "POST" ? Readable.toWeb(req) : undefined,
    duplex: "half",
  });
  const response = await receiver.handle(request, store);
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
});
server.listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on port ${server.address().port}`));
