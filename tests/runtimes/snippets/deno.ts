// thread.ts: deno run --allow-net=graph.facebook.com --allow-read=node_modules/graph-conversations/wasm \
//   --allow-env=PAGE_TOKEN,GRAPH_BASE_URL thread.ts PAGE_ID USER_ID
import { ConversationsClient, GraphApiError } from "graph-conversations";

const [pageId, userId] = Deno.args;
const client = new ConversationsClient({
  accessToken: Deno.env.get("PAGE_TOKEN") ?? "",
  baseUrl: Deno.env.get("GRAPH_BASE_URL"), // unset: https://graph.facebook.com
});

try {
  const thread = await client.findConversation(pageId, { platform: "messenger", userId });
  if (thread === null) {
    console.log(`no conversation with ${userId}`);
  } else {
    const newest = await client.listMessages(thread.id, {
      limit: 5,
      fields: ["created_time", "from", "message"],
    });
    for (const m of newest.data) {
      console.log(`${m.created_time}  ${m.from?.name}: ${m.message ?? "(attachment)"}`);
    }
  }
} catch (e) {
  if (!(e instanceof GraphApiError)) throw e;
  console.error(`Graph API error (${e.kind}): ${e.message}`);
  Deno.exitCode = 1;
}
