// syncInbox against the document's naive flow, on graph-sim, in one run:
// 1. syncInbox on an Instagram inbox of 1,000 threads × 30 messages with the simulator's
//    2 calls/s limit on: requests per thread, wall time against the lower bound, throttling;
// 2. the naive flow (list → each thread's messages → each message's details) as a plain fetch
//    script on the same data: requests per thread, projected wall time at 2 calls/s;
// 3. memory: peak RSS growth while syncing 10,000 and 50,000 threads (both limits raised ×FACTOR),
//    with what the RSS is made of at the end (V8 heap, external, wasm memory) after a full GC,
//    next to the same run's baseline: plain `fetch` of the very list pages the sync read, at the
//    times it read them, bodies thrown away. Node's own fetch grows RSS by tens of MB for these bytes
//    (response buffers waiting for GC, freed memory glibc keeps), so the sync is judged by what
//    it adds to that cost.
// Writes "## syncInbox" of BENCHMARKS.md.
import { spawn } from "node:child_process";
import { startSim } from "../tests/js/launch.mjs";
import { machine, root, writeSection } from "./bench_common.mjs";

const THREADS = 1000;
const MESSAGES = 30;
const BIG = 10_000;
const HUGE = 50_000;
const FACTOR = Number(process.env.BENCH_RATE_FACTOR ?? 50);
const shape = (threads) => ["--seed", "42", "--instagram-threads", String(threads), "--messages", String(MESSAGES)];
const log = (m) => console.error(`[bench-sync] ${m}`);

// Both children measure the same way: after a full GC (they run with --expose-gc), from
// process.memoryUsage(), peak RSS polled as they go.
const SAMPLE = `
const sample = (wasm) => {
  global.gc();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, arrayBuffers, wasm: wasm?.memory.buffer.byteLength ?? 0 };
};
`;

// The sync, in a child process so its RSS is the sync's alone. It also lists the URLs the sync
// fetched and when, which the baseline then replays (a few hundred short strings: noise next to
// the MBs).
const SYNC = `${SAMPLE}
const [url, rps, every] = process.argv.slice(1);
const { ConversationsClient, initWasm } = await import(${JSON.stringify(`${root}/pkg/entry/node.js`)});
await initWasm();
// The instance's exports (initSync returns them once loaded): the wasm memory's size.
const wasm = (await import(${JSON.stringify(`${root}/pkg/wasm/graph_conversations.js`)})).initSync();
const client = new ConversationsClient({ accessToken: "sim-ig-token", baseUrl: url, requestsPerSecond: Number(rps) });
await client.listConversations("me", { platform: "instagram", limit: 1 });
const sent = [];
const send = globalThis.fetch;
globalThis.fetch = (request, init) => (sent.push([performance.now(), request.url]), send(request, init));
const base = sample(wasm);
let peak = base.rss, threads = 0, messages = 0, last;
const marks = [];
const t0 = performance.now();
for await (const item of client.syncInbox("me", { platform: "instagram", onProgress: (p) => (last = p) })) {
  threads++;
  messages += item.messages.length;
  if (threads % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  if (threads % Number(every) === 0) marks.push([threads, process.memoryUsage().rss - base.rss]);
}
peak = Math.max(peak, process.memoryUsage().rss);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, threads, messages, base, peak, marks, end: sample(wasm), progress: last, sent: sent.map(([at, url]) => [at - sent[0][0], url]) }));
`;

// The baseline: the sync's list pages with plain fetch, each sent when the sync sent it (its
// [ms from the first, URL] on stdin; the sync is slower than its pacer, and how fast garbage
// comes decides how much of it waits for V8), each body read whole and dropped.
const FETCH = `${SAMPLE}
let input = "";
for await (const chunk of process.stdin) input += chunk;
const sent = JSON.parse(input);
input = "";
const base = sample();
let peak = base.rss, bytes = 0;
const t0 = performance.now();
for (const [at, url] of sent) {
  const wait = t0 + at - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const res = await fetch(url, { headers: { authorization: "Bearer sim-ig-token" } });
  if (!res.ok) throw new Error(\`\${url}: \${res.status}\`);
  bytes += (await res.arrayBuffer()).byteLength;
  peak = Math.max(peak, process.memoryUsage().rss);
}
console.log(JSON.stringify({ requests: sent.length, bytes, base, peak, end: sample() }));
`;

function child(code, args, input) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", code, ...args.map(String)], {
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
    p.stdin?.end(input);
  });
}

async function naive(url) {
  let requests = 0;
  const get = async (path) => {
    requests++;
    const res = await fetch(url + path, { headers: { authorization: "Bearer sim-ig-token" } });
    const body = await res.json();
    if (!res.ok) throw new Error(JSON.stringify(body));
    return body;
  };
  const t0 = performance.now();
  let threads = 0;
  let details = 0;
  let next = "/v26.0/me/conversations?platform=instagram";
  while (next) {
    const page = await get(next);
    for (const thread of page.data) {
      threads++;
      const conversation = await get(`/v26.0/${thread.id}?fields=messages`);
      // The document: details exist for the newest 20 only.
      for (const m of conversation.messages.data.slice(0, 20)) {
        await get(`/v26.0/${m.id}?fields=id,created_time,from,to,message`);
        details++;
      }
    }
    next = page.paging?.next ? new URL(page.paging.next).pathname + new URL(page.paging.next).search : null;
  }
  return { requests, threads, details, ms: performance.now() - t0 };
}

log(`syncInbox, ${THREADS} threads × ${MESSAGES} messages, 2 calls/s`);
const paced = await startSim([...shape(THREADS), "--rate", "2"]);
const ours = await child(SYNC, [paced.url, 2, 2000]);
const stats = await paced.stats();
paced.stop();

log("naive flow, same data, rate limit off (counted, then projected at 2 calls/s)");
const open = await startSim([...shape(THREADS), "--rate", "0"]);
const theirs = await naive(open.url);
open.stop();
if (theirs.threads !== ours.threads) throw new Error(`naive saw ${theirs.threads} threads, sync ${ours.threads}`);

// RSS depends on when V8 collects: three fresh processes per size and kind, the median run
// reported. The baseline replays the requests of the sync's median run (the simulator is reset,
// so the same cursors give the same pages).
const growth = (r) => r.peak - r.base.rss;
const middle = (runs) => [...runs].sort((a, b) => growth(a) - growth(b))[1];
async function memory(threads, every) {
  log(`memory, ${threads} threads, rate ×${FACTOR}: syncInbox, then plain fetch of its list pages`);
  const sim = await startSim([...shape(threads), "--rate", String(2 * FACTOR)]);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await sim.reset();
    runs.push(await child(SYNC, [sim.url, 2 * FACTOR, every]));
  }
  const mem = middle(runs);
  const fetches = [];
  for (let i = 0; i < 3; i++) {
    await sim.reset();
    fetches.push(await child(FETCH, [], JSON.stringify(mem.sent)));
  }
  sim.stop();
  return { runs, mem, fetches, plain: middle(fetches) };
}
const big = await memory(BIG, 2000);
const huge = await memory(HUGE, 10000);

const req = ours.progress.requests;
const bound = (req / 2) * 1000;
const perThread = req / ours.threads;
const naivePer = theirs.requests / theirs.threads;
const mb = (b) => (b / 1048576).toFixed(1);
const delta = (r, key) => r.end[key] - r.base[key];
const grow = (r, key) => `${delta(r, key) >= 0 ? "+" : ""}${mb(delta(r, key))} MB`;
const perExtra = (key) => (growth(huge[key]) - growth(big[key])) / (huge.mem.threads - big.mem.threads);
const text = `Importing a newly linked Instagram inbox (graph-sim, seed 42, ${THREADS} threads, ${MESSAGES} messages each;
${ours.threads} are listed, the rest are request-folder threads older than 30 days). Measured ${machine()}.
Command: \`node scripts/bench-sync.mjs\` (part of \`make bench\`).

| | syncInbox (simulator limit 2 calls/s on) | naive flow from the API document (plain \`fetch\`) |
|---|---:|---:|
| requests | ${req} | ${theirs.requests.toLocaleString("en")} |
| requests per thread | **${perThread.toFixed(3)}** | ${naivePer.toFixed(2)} |
| fewer requests than naive | **${(theirs.requests / req).toFixed(0)}×** | 1× |
| wall time | ${(ours.ms / 1000).toFixed(2)} s measured | ${(theirs.requests / 2 / 3600).toFixed(2)} h projected at 2 calls/s (${(theirs.ms / 1000).toFixed(1)} s on the simulator with its limit off) |
| lower bound (requests ÷ 2 per second) | ${(bound / 1000).toFixed(2)} s | ${(theirs.requests / 2 / 3600).toFixed(2)} h |
| wall time ÷ lower bound | **${(ours.ms / bound).toFixed(2)}×** | |
| throttling errors | **${ours.progress.throttled}** (simulator: ${stats.throttled} throttled) | |
| threads / messages yielded | ${ours.threads} / ${ours.messages} | ${theirs.threads} / ${theirs.details} details |

How: one list request brings up to 100 threads (25, then 50, then 100 as requests succeed) with participants and their newest 50 messages by nested
expansion (details for the newest 20, ids and times for the rest), so a thread of ${MESSAGES} messages costs no
request of its own; the client paces every request at 2 calls/s, so the simulator never throttles.
The first request goes at once, which is why the wall time can come in under requests ÷ 2 s.

Memory, ${BIG.toLocaleString("en")} and ${HUGE.toLocaleString("en")} threads × ${MESSAGES} messages (both rate limits raised ×${FACTOR} to ${2 * FACTOR} calls/s to keep the
runs short), median of 3 fresh processes each, RSS before (after a full GC) to its peak; the
baseline is plain \`fetch\` + \`arrayBuffer()\` of the very list pages the sync read, each sent at the
time the sync sent it, bodies thrown away, also median of 3 fresh processes, in the same run:

| threads listed (messages, requests) | RSS before | peak | growth | the three runs | plain \`fetch\` of the same pages: growth (three runs) | sync − plain \`fetch\` | V8 heap total / used | external (array buffers) | wasm memory |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${[big, huge].map(({ mem, runs, plain, fetches }) => `| ${mem.threads.toLocaleString("en")} (${mem.messages.toLocaleString("en")}, ${mem.progress.requests}) | ${mb(mem.base.rss)} MB | ${mb(mem.peak)} MB | **${mb(growth(mem))} MB** | ${runs.map((r) => mb(growth(r))).join(", ")} MB | ${mb(growth(plain))} MB (${fetches.map((r) => mb(growth(r))).join(", ")}) | **${mb(growth(mem) - growth(plain))} MB** | ${grow(mem, "heapTotal")} / ${grow(mem, "heapUsed")} | ${grow(mem, "external")} (${grow(mem, "arrayBuffers")}) | ${mb(mem.base.wasm)} → ${mb(mem.end.wasm)} MB |`).join("\n")}

Growth per extra thread from ${big.mem.threads.toLocaleString("en")} to ${huge.mem.threads.toLocaleString("en")} threads: **${perExtra("mem").toFixed(0)} bytes** for the sync,
${perExtra("plain").toFixed(0)} bytes for plain \`fetch\` of the same pages (goal: flat; at most 20 MB for ${BIG.toLocaleString("en")} threads;
plain \`fetch\` of these pages, ${(big.plain.bytes / big.plain.requests / 1024).toFixed(0)} KB each on average, grows ${mb(growth(big.plain))} MB by itself, its V8 heap
total ${grow(big.plain, "heapTotal")} / ${grow(huge.plain, "heapTotal")}). The V8 and external columns are
the change from before the sync to its end, each after a full GC; the wasm memory never shrinks,
so its end is its peak. Growth along the ${HUGE.toLocaleString("en")}-thread run after
${huge.mem.marks.map(([t]) => t.toLocaleString("en")).join(" / ")} threads: ${huge.mem.marks.map(([, g]) => mb(g)).join(" / ")} MB.

What the sync itself holds, at ${big.mem.threads.toLocaleString("en")} / ${huge.mem.threads.toLocaleString("en")} threads: wasm memory at its peak
${mb(big.mem.end.wasm)} / ${mb(huge.mem.end.wasm)} MB, V8 heap used after a full GC at the end ${mb(big.mem.end.heapUsed)} / ${mb(huge.mem.end.heapUsed)} MB (${mb(big.mem.base.heapUsed)} / ${mb(huge.mem.base.heapUsed)} MB before).
In the wasm: one list page of threads as parsed JSON (its nested messages moved out of the page
before the planner copies the threads, so a page is not held twice), several times the size of
its text, which sets the peak; and the ids the sync has yielded, about 20 bytes each (128-bit
digests, \`core::idset\`), the only part that grows with the inbox. The rest of the RSS growth is
not data the sync holds. V8's young generation (heap total), which V8 doubles (up to 32 MB)
whenever the bytes surviving its scavenges add up to its size, steps with the number of requests
and items, not with what is held: ${mb(delta(huge.mem, "heapTotal") - delta(big.mem, "heapTotal"))} MB of the ${mb(growth(huge.mem) - growth(big.mem))} MB between the two sizes. And Node's
\`fetch\` keeps each response's buffers until V8 collects them, and glibc keeps much of what is
freed: the plain \`fetch\` baseline shows that cost alone. It can exceed the sync's growth, since
a loop that makes little V8 garbage collects seldom and its buffers wait longer; so it is a
reference for what Node's \`fetch\` costs for these pages, not a floor the sync must stay above.`;
writeSection("## syncInbox", text);
console.log(text);
