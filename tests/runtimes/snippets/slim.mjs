// graph-conversations/slim never locates the .wasm itself: hand it over once, before the
// first call. initWasm takes a WebAssembly.Module, the .wasm's URL, its bytes, or fetch(url).
import { readFile } from "node:fs/promises";
import { ConversationsClient, initWasm } from "graph-conversations/slim";

await initWasm(await readFile(new URL(import.meta.resolve("graph-conversations/wasm"))));

const client = new ConversationsClient({ accessToken: process.env.PAGE_TOKEN, baseUrl: process.env.GRAPH_BASE_URL });
const { data } = await client.listConversations(process.env.PAGE_ID, { platform: "messenger", limit: 3 });
console.log(data.map((thread) => thread.id).join("\n"));
