// Decoding cost: one page of 25 threads × 20 detailed messages, through listConversations
// (fetch mocked in-process, so no network is timed) against JSON.parse of the same body, in the
// same run. Writes "## Decoding a page" of BENCHMARKS.md.
import { startSim } from "../tests/js/launch.mjs";
import { machine, median, root, writeSection } from "./bench_common.mjs";

const { ConversationsClient, initWasm } = await import(`${root}/pkg/entry/node.js`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = 40;

const sim = await startSim(["--seed", "42", "--rate", "0", "--messages", "20..45"]);
const fields = [
  "participants", "snippet", "message_count", "unread_count",
  "messages.limit(20){id,created_time,from,to,message,attachments,shares,story,reactions,reply_to,is_unsupported,tags}",
];
// The fields exactly as the client asks for them (it always adds id and updated_time).
const url = `${sim.url}/v26.0/106000000000001/conversations?platform=messenger&limit=25&fields=${encodeURIComponent(["id", "updated_time", ...fields].join(","))}`;
const body = await (await fetch(url, { headers: { authorization: "Bearer sim-page-token" } })).text();
sim.stop();
const parsed = JSON.parse(body);
if (parsed.data.length !== 25 || parsed.data.some((t) => t.messages.data.length !== 20)) {
  throw new Error("the sample page is not 25 threads × 20 messages");
}

const realFetch = globalThis.fetch;
globalThis.fetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
await initWasm();
const client = new ConversationsClient({ accessToken: "bench", baseUrl: "http://127.0.0.1:9", requestsPerSecond: 0 });

async function ours() {
  const page = await client.listConversations("106000000000001", { platform: "messenger", fields });
  if (page.data.length !== 25) throw new Error("decode lost threads");
}
async function baseline() {
  const page = JSON.parse(await (await fetch(url)).text());
  if (page.data.length !== 25) throw new Error("baseline lost threads");
}
async function time(fn) {
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) await fn();
  return (performance.now() - t0) / PER_ROUND;
}
for (let i = 0; i < 3; i++) {
  await time(ours);
  await time(baseline);
}
const a = [];
const b = [];
for (let i = 0; i < ROUNDS; i++) {
  b.push(await time(baseline));
  a.push(await time(ours));
}
globalThis.fetch = realFetch;
const [mOurs, mBase] = [median(a), median(b)];
const text = `Decoding one page of 25 Messenger threads × 20 detailed messages (${(body.length / 1024).toFixed(1)} KB of
JSON from graph-sim) into JS objects with \`listConversations\`, against \`JSON.parse\` of the same body,
both fed by an in-process \`fetch\` returning the body (no network), ${ROUNDS} rounds of ${PER_ROUND}
calls, medians. Measured ${machine()}. Command: \`node scripts/bench-decode.mjs\` (part of \`make bench\`).

| path | per page | ratio |
|---|---:|---:|
| \`Response.text()\` + \`JSON.parse\` (baseline) | ${mBase.toFixed(3)} ms | 1.00× |
| \`client.listConversations\` (validate options, fetch, copy into wasm, check, cut the token, back to JS) | ${mOurs.toFixed(3)} ms | **${(mOurs / mBase).toFixed(2)}×** |

Goal: at most 2×. How: a body that is already what normalisation would make of it (the common case)
is only checked in Rust, by a one-pass scanner against the same schema (\`src/core/verbatim.rs\`), has
the token cut out of its URLs, and goes to the engine's \`JSON.parse\` as it came. Anything unusual
(a number as a string, a null, a missing id) takes the normalising path: serde_json into a value,
normalise, serialise, \`JSON.parse\` (about 4× before the scanner existed). Building objects field by
field across the wasm boundary would be slower still.`;
writeSection("## Decoding a page", text);
console.log(text);
