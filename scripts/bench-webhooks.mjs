// Webhook throughput: verify + parse (+ merge into an in-memory Inbox) of realistic deliveries
// with WebhookReceiver and Inbox, against node:crypto HMAC + timingSafeEqual + JSON.parse of the
// same bodies, in the same run. Writes "## Webhook throughput" of BENCHMARKS.md.
import { createHmac, timingSafeEqual } from "node:crypto";
import { machine, median, root, writeSection } from "./bench_common.mjs";

const { Inbox, WebhookReceiver, initWasm } = await import(`${root}/pkg/entry/node.js`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const SECRET = "bench-app-secret";
const PAGE = "106000000000001";
const IG = "17841400000000001";

// Meta writes non-ASCII as \uXXXX and "/" as "\/"; it signs those bytes.
const metaJson = (value) =>
  JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("/", "\\/");

/** Deterministic deliveries: `posts` bodies of `perPost` events over 200 customers, a mix of
 * customer messages (some with attachments and accents), echoes, reactions and reads. */
function deliveries(posts, perPost) {
  let n = 0;
  const bodies = [];
  for (let p = 0; p < posts; p++) {
    const instagram = p % 3 === 2;
    const account = instagram ? IG : PAGE;
    const messaging = [];
    for (let e = 0; e < perPost; e++, n++) {
      const customer = String((instagram ? 17850000000000000n : 24000000000000000n) + BigInt(n % 200));
      const timestamp = 1_790_000_000_000 + n * 1000;
      const mid = `m_${n.toString(36)}_bench`;
      const kind = n % 10;
      const inbound = { sender: { id: customer }, recipient: { id: account }, timestamp };
      if (kind < 6) {
        const message = { mid, text: `Bonjour, où est ma commande n°${n}? https://shop.example/o/${n}` };
        if (kind === 5) message.attachments = [{ type: "image", payload: { url: `https://cdn.example/i/${n}.jpg` } }];
        messaging.push({ ...inbound, message });
      } else if (kind < 8) {
        messaging.push({ sender: { id: account }, recipient: { id: customer }, timestamp, message: { mid, is_echo: true, app_id: 1517776481860111, text: "Merci ! Voilà le suivi 📦" } });
      } else if (kind === 8) {
        messaging.push({ ...inbound, reaction: { mid: `m_${(n - 3).toString(36)}_bench`, action: "react", reaction: "love", emoji: "❤️" } });
      } else {
        messaging.push({ ...inbound, read: instagram ? { mid: `m_${(n - 2).toString(36)}_bench` } : { watermark: timestamp } });
      }
    }
    const body = Buffer.from(metaJson({ object: instagram ? "instagram" : "page", entry: [{ id: account, time: 1_790_000_000_000 + n * 1000, messaging }] }));
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    bodies.push({ body, signature, events: perPost });
  }
  return bodies;
}

await initWasm();
const receiver = new WebhookReceiver({ appSecret: SECRET });

function baseline(batch) {
  let events = 0;
  for (const { body, signature } of batch) {
    const expected = createHmac("sha256", SECRET).update(body).digest();
    const given = Buffer.from(signature.slice(7), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("baseline: bad signature");
    for (const entry of JSON.parse(body).entry) events += entry.messaging.length;
  }
  return events;
}

async function ours(batch, inbox) {
  let events = 0;
  for (const { body, signature } of batch) {
    const received = await receiver.receive(body, signature);
    inbox?.applyEvents(received);
    events += received.length;
  }
  return events;
}

async function rate(fn) {
  const t0 = performance.now();
  const events = await fn();
  return events / ((performance.now() - t0) / 1000);
}

const shapes = [
  { name: "1 event per POST (a quiet inbox)", posts: 2000, perPost: 1 },
  { name: "20 events per POST (Meta batching under load)", posts: 200, perPost: 20 },
];
const rows = [];
for (const shape of shapes) {
  const batch = deliveries(shape.posts, shape.perPost);
  const expected = shape.posts * shape.perPost;
  const runs = { baseline: [], verifyParse: [], merge: [] };
  for (let round = -2; round < ROUNDS; round++) {
    const b = await rate(() => baseline(batch));
    const v = await rate(() => ours(batch));
    // A fresh inbox each round: the merge cost includes growing the inbox to `expected` events.
    const inbox = new Inbox();
    const m = await rate(() => ours(batch, inbox));
    if (inbox.threads().length === 0) throw new Error("the merge kept nothing");
    inbox.free();
    if (round < 0) continue; // warm-up
    runs.baseline.push(b);
    runs.verifyParse.push(v);
    runs.merge.push(m);
  }
  if (baseline(batch) !== expected || (await ours(batch)) !== expected) throw new Error("lost events");
  const [b, v, m] = [median(runs.baseline), median(runs.verifyParse), median(runs.merge)];
  rows.push({ shape, b, v, m });
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const table = rows
  .map(({ shape, b, v, m }) =>
    `| ${shape.name} | ${fmt(b)} | ${fmt(v)} (${(b / v).toFixed(2)}×) | ${fmt(m)} (${(b / m).toFixed(2)}×) |`)
  .join("\n");
const text = `Verifying and parsing realistic Messenger and Instagram deliveries (Meta's escaped JSON, a mix
of customer messages with accents, links and images, echoes, reactions and reads; one in three
POSTs Instagram), events per second in Node, against \`node:crypto\` HMAC-SHA256 +
\`timingSafeEqual\` + \`JSON.parse\` of the same bodies in the same run. "+ merge" also applies every
event to an in-memory \`Inbox\` (a fresh one per round). ${ROUNDS} rounds after 2 warm-up rounds,
medians; the ratio is our time over the baseline's. Measured ${machine()}.
Command: \`node scripts/bench-webhooks.mjs\` (part of \`make bench\`). Goal: ≤ 1.5× the baseline's time.

| deliveries | baseline events/s | receive (verify + parse) events/s | receive + merge events/s |
|---|---|---|---|
${table}

Not met. The baseline hands V8's own \`JSON.parse\` the bytes; the package parses them in wasm
into a JSON tree (about 8 µs per event natively, most of it allocation), builds each event's Graph
\`Message\` through the schema, and serialises the events, their \`raw\` included, back to JS
(about 2.7× the input). Merging passes each event back into the wasm, where it is read again from
its \`raw\` by the one parser and merged. Ways to close the gap, left for later: a streaming parse
that skips the tree, \`raw\` attached in JS from one \`JSON.parse\` instead of crossing twice, and
merging the events of a delivery without returning them to JS first. For scale: at ${fmt(rows.at(-1).m)}
merged events/s, a batch of 1,000 updates (the most Meta puts in one POST) takes under 0.1 s.
`;
console.log(text);
writeSection("## Webhook throughput", text);
