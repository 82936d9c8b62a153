// inbox.mjs: node inbox.mjs   (Node >= 18; PAGE_TOKEN and PAGE_ID in the environment)
import { ConversationsClient, GraphApiError } from "graph-conversations";

const client = new ConversationsClient({
  accessToken: process.env.PAGE_TOKEN,
  baseUrl: process.env.GRAPH_BASE_URL, // unset: https://graph.facebook.com
});

try {
  const threads = client.conversations(process.env.PAGE_ID, {
    platform: "messenger",
    fields: ["participants", "snippet", "updated_time"],
  });
  for await (const thread of threads) {
    const who = thread.participants.data.map((p) => p.name).join(", ");
    console.log(`${thread.updated_time}  ${thread.id}  ${who}: ${thread.snippet ?? ""}`);
  }
} catch (e) {
  if (!(e instanceof GraphApiError)) throw e;
  console.error(`Graph API error (${e.kind}): ${e.message}`);
  process.exitCode = 1;
}
