// The package as an app gets it from npm: by name, resolved by Vite through the `browser`
// export condition; the .wasm is emitted as an asset from `new URL(…, import.meta.url)`.
import { ConversationsClient } from "graph-conversations";
import { showThreads } from "./show-threads.mjs";

showThreads(ConversationsClient);
