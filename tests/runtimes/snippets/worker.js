// src/index.js of a Worker (wrangler bundles it; the package's `workerd` entry imports the .wasm
// as a compiled module). Secrets: `wrangler secret put PAGE_TOKEN`; vars: PAGE_ID.
import { ConversationsClient, GraphApiError } from "graph-conversations";

export default {
  async fetch(request, env) {
    const client = new ConversationsClient({
      accessToken: env.PAGE_TOKEN,
      baseUrl: env.GRAPH_BASE_URL, // unset: https://graph.facebook.com
    });
    const after = new URL(request.url).searchParams.get("after") ?? undefined;
    try {
      const page = await client.listConversations(env.PAGE_ID, {
        platform: "messenger",
        limit: 10,
        after,
        fields: ["participants", "snippet", "updated_time", "unread_count"],
      });
      const next = page.paging?.next ? page.paging.cursors.after : null;
      return Response.json({ threads: page.data, next });
    } catch (e) {
      if (!(e instanceof GraphApiError)) throw e;
      return Response.json({ error: e.kind, message: e.message }, { status: e.status ?? 502 });
    }
  },
};
