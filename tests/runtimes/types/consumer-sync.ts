// syncInbox as the README documents it, compiled (never run) by types.test.mjs: the package's
// .d.ts must declare it.
import { ConversationsClient, GraphApiError, type Message, type SyncedConversation } from "graph-conversations";

/** Imports a Page's inbox into a store, resumable from the last checkpoint it saved. */
export async function importInbox(
  client: ConversationsClient,
  pageId: string,
  store: { save(item: SyncedConversation): Promise<void>; checkpoint(): Promise<string | undefined> },
  lastRun?: string,
): Promise<number> {
  let count = 0;
  try {
    const synced = client.syncInbox(pageId, {
      platform: "messenger",
      since: lastRun,
      detailsPerConversation: 20,
      concurrency: 2,
      checkpoint: await store.checkpoint(),
      onProgress: (progress) => console.log(progress),
      signal: AbortSignal.timeout(10 * 60_000),
    });
    for await (const item of synced) {
      const id: string = item.conversation.id;
      const updated: string = item.conversation.updated_time;
      const people = item.conversation.participants?.data.length ?? 0;
      const messages: Message[] = item.messages;
      const newest: string | undefined = messages[0]?.message;
      const resumeFrom: string = item.checkpoint;
      console.log(id, updated, people, newest, resumeFrom);
      await store.save(item);
      count++;
    }
  } catch (e) {
    if (e instanceof GraphApiError && e.kind === "rate_limited") return count;
    throw e;
  }
  // `since` also takes unix seconds.
  for await (const item of client.syncInbox("me", { platform: "instagram", since: 1_767_225_600 })) console.log(item.checkpoint);
  return count;
}
