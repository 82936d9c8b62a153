// webhooks.ts: deno run --allow-net=0.0.0.0:8000 --allow-read=node_modules/graph-conversations/wasm \
//   --allow-env=APP_SECRET,VERIFY_TOKEN,PORT webhooks.ts
import { WebhookReceiver, type WebhookEvent } from "graph-conversations";

const receiver = new WebhookReceiver({
  appSecret: Deno.env.get("APP_SECRET") ?? "",
  verifyToken: Deno.env.get("VERIFY_TOKEN"),
});

function store(events: WebhookEvent[]) {
  for (const e of events) {
    const text = e.type === "message" ? e.message.message ?? "(attachment)" : "";
    console.log(`${e.time}  ${e.platform}  ${e.userId}  ${e.type}  ${text}`);
  }
}

Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, (request) => receiver.handle(request, store));
