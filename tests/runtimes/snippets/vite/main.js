// main.js, loaded by index.html: <script type="module" src="/main.js"></script>
import { ConversationsClient, GraphApiError } from "graph-conversations";

const client = new ConversationsClient({
  accessToken: import.meta.env.VITE_IG_TOKEN, // anyone who opens the page can read it: see below
  baseUrl: import.meta.env.VITE_GRAPH_BASE_URL ?? "https://graph.instagram.com",
});
const list = document.querySelector("#threads");

async function showThreads() {
  try {
    for await (const thread of client.conversations("me", { platform: "instagram", fields: ["participants"] })) {
      const item = document.createElement("li");
      item.textContent = thread.participants.data.map((p) => `@${p.username}`).join(", ");
      list.append(item);
    }
    list.dataset.state = "done";
  } catch (e) {
    list.dataset.state = e instanceof GraphApiError ? `error: ${e.kind}: ${e.message}` : `error: ${e}`;
  }
}
showThreads();
