// src/index.js of a Worker that receives Meta's webhooks and stores each event in KV before
// answering 200 (Meta retries what is not acknowledged). Secrets: `wrangler secret put
// APP_SECRET` and VERIFY_TOKEN; a KV namespace bound as EVENTS. Callback URL: the Worker's URL.
import { WebhookReceiver } from "graph-conversations";

let receiver;

export default {
  fetch(request, env) {
    receiver ??= new WebhookReceiver({ appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN });
    return receiver.handle(request, (events) =>
      Promise.all(events.map((e) => {
        const key = `${e.platform}:${e.accountId}:${e.userId}:${e.timestamp}:${e.type}`;
        return env.EVENTS.put(key, JSON.stringify(e));
      })),
    );
  },
};
