// Shared by the plain <script type="module"> page and the Vite app: lists the simulator Page's
// Messenger threads (same origin as the page) and marks <body data-state> done or failed.
const PAGE_ID = "106000000000001";

export async function showThreads(ConversationsClient) {
  const status = document.querySelector("#status");
  const list = document.querySelector("#threads");
  try {
    const client = new ConversationsClient({ accessToken: "sim-page-token", baseUrl: location.origin, requestsPerSecond: 0 });
    const page = await client.listConversations(PAGE_ID, { platform: "messenger", limit: 10 });
    for (const thread of page.data) {
      const item = document.createElement("li");
      item.dataset.threadId = thread.id;
      item.textContent = `${thread.id} (updated ${thread.updated_time})`;
      list.append(item);
    }
    status.textContent = `${page.data.length} threads`;
    document.body.dataset.state = "done";
  } catch (e) {
    status.textContent = `failed: ${e?.kind ?? ""} ${e?.message ?? e}`;
    document.body.dataset.state = "failed";
  }
}
