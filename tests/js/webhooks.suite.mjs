// WebhookReceiver and Inbox, written once and run in Node (node.test.mjs), Deno
// (tests/runtimes/deno/suite.test.ts), workerd (tests/runtimes/workerd/suite.js) and Chromium
// (tests/browser/suite/run.mjs), next to the client suite. Each case gets the package's exports
// and throws on failure; none needs the simulator. The fixtures are tests/fixtures/webhooks/*.json
// (the ones tests/webhooks.rs reads), staged beside this file by tests/js/stage-fixtures.mjs.
import { fixtures } from "./webhook-fixtures.mjs";

const SECRET = "app-secret-4711";
const OTHER = "instagram-app-secret";
const VERIFY = "verify-token-0815";
const PAGE = "104335678901234567";
const PSID = "7234567890123456789";
const IG = "17841470026191358";
const IGSID = "1234567890123456789";
const URL_BASE = "https://hooks.example/webhooks";

const utf8 = (text) => new TextEncoder().encode(text);
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `sha256=` and the hex HMAC-SHA256 of `body` (string or bytes) under `secret`, as Meta signs. */
export async function sign(secret, body) {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const bytes = typeof body === "string" ? utf8(body) : body;
  return `sha256=${hex(new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes)))}`;
}

function fail(msg) {
  throw new Error(msg);
}
const show = (v) => (v === undefined ? "undefined" : JSON.stringify(v));
const assert = (cond, msg) => cond || fail(`assertion failed: ${msg}`);
const equal = (a, b, msg) => a === b || fail(`${msg}: expected ${show(b)}, got ${show(a)}`);
/** Structural equality, key order ignored. */
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}
const deepEqual = (a, b, msg) => same(a, b) || fail(`${msg}:\nexpected ${show(b)}\n     got ${show(a)}`);

/** The error `run()` throws or rejects with, which must be a GraphApiError of `kind`. */
async function expectError(api, run, kind, msg) {
  let error;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  assert(error !== undefined, `${msg}: expected a GraphApiError of kind ${kind}, nothing was thrown`);
  assert(error instanceof api.GraphApiError, `${msg}: a GraphApiError (got ${error?.stack ?? error})`);
  assert(error instanceof Error, `${msg}: an Error`);
  equal(error.kind, kind, `${msg}: kind (${error.message})`);
  return error;
}

const receiver = (api, extra = {}) =>
  new api.WebhookReceiver({ appSecret: SECRET, additionalSecrets: [OTHER], verifyToken: VERIFY, ...extra });

/** The events of a fixture, as a verified delivery gives them. */
async function events(api, name) {
  return receiver(api).receive(fixtures[name], await sign(SECRET, fixtures[name]));
}

const post = async (body, signature, headers = {}) =>
  new Request(URL_BASE, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...(signature === undefined ? {} : { "x-hub-signature-256": signature }), ...headers },
  });
const get = (query) => new Request(`${URL_BASE}?${new URLSearchParams(query)}`);

/** handle() with a handler that records its calls. */
async function handled(api, r, request, handler = () => {}) {
  const calls = [];
  const response = await r.handle(await request, (events, context) => {
    calls.push({ events, context });
    return handler(events, context);
  });
  assert(response instanceof Response, "handle resolves to a Response");
  return { response, text: await response.text(), calls };
}

// One small delivery, written as Meta escapes it (\u00e9, \/), and the same text with the
// non-ASCII characters as raw UTF-8 bytes.
const ESCAPED = '{"object":"instagram","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1767225600123,"message":{"mid":"m_e","text":"caf\\u00e9 \\ud83d\\ude00 a\\/b"}}]}]}';
const RAW_UTF8 = ESCAPED.replace("\\u00e9", "é").replace("\\ud83d\\ude00", "😀");
const DECODED = RAW_UTF8.replace("\\/", "/");

/** A minimal syncInbox item of the Messenger thread of messenger_messages.json. */
const syncedItem = () => ({
  conversation: {
    id: "t_100000000000001",
    updated_time: "2026-01-01T00:00:00+0000",
    participants: { data: [{ id: PSID, name: "Customer" }, { id: PAGE, name: "The Page" }] },
  },
  messages: [{ id: "m_text", created_time: "2026-01-01T00:00:00+0000", message: "hello, world!", from: { id: PSID, name: "Customer" } }],
  checkpoint: "opaque",
});

const ids = (thread) => thread.messages.map((m) => m.id);

export const cases = {
  "webhook: a valid signature over escaped and over raw UTF-8 bytes": async (api) => {
    const r = receiver(api);
    assert(RAW_UTF8 !== ESCAPED && /é/.test(RAW_UTF8), "the raw body has non-ASCII characters");
    for (const [what, body] of [["escaped", ESCAPED], ["raw UTF-8", RAW_UTF8]]) {
      const signature = await sign(SECRET, body);
      equal(await r.verify(body, signature), true, `${what}: verify`);
      equal(await r.matchSecret(body, signature), 0, `${what}: matchSecret`);
      const [event] = await r.receive(body, signature);
      equal(event.message.message, "café 😀 a/b", `${what}: the text`);
      equal(event.message.id, "m_e", `${what}: the message id is the mid`);
    }
  },

  "webhook: wrong secret, missing, SHA-1, wrong prefix and truncated signatures are refused": async (api) => {
    const r = receiver(api);
    const good = await sign(SECRET, ESCAPED);
    const digest = good.slice("sha256=".length);
    const refused = {
      "another secret": await sign("not-the-secret", ESCAPED),
      "null": null,
      "undefined": undefined,
      "empty": "",
      "X-Hub-Signature (sha1=, 40 hex digits)": `sha1=${digest.slice(0, 40)}`,
      "sha1= prefix on the SHA-256 digest": `sha1=${digest}`,
      "no prefix": digest,
      "sha512= prefix": `sha512=${digest}`,
      "truncated hex": good.slice(0, -2),
      "one digit more": `${good}0`,
      "a digit changed": `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`,
    };
    for (const [what, signature] of Object.entries(refused)) {
      equal(await r.verify(ESCAPED, signature), false, `${what}: verify`);
      equal(await r.matchSecret(ESCAPED, signature), -1, `${what}: matchSecret`);
      await expectError(api, () => r.receive(ESCAPED, signature), "invalid_signature", `${what}: receive`);
    }
    // The control: the same receiver accepts the right one.
    equal(await r.verify(ESCAPED, good), true, "the right signature");
  },

  "webhook: uppercase hex is the same digest": async (api) => {
    const r = receiver(api);
    const good = await sign(SECRET, ESCAPED);
    const upper = `sha256=${good.slice("sha256=".length).toUpperCase()}`;
    assert(upper !== good, "the digest has letters");
    equal(await r.matchSecret(ESCAPED, upper), 0, "uppercase");
    equal((await r.receive(ESCAPED, upper)).length, 1, "receive with uppercase hex");
  },

  "webhook: an additional secret matches, and its index is reported (also to handle's handler)": async (api) => {
    const r = new api.WebhookReceiver({ appSecret: SECRET, additionalSecrets: ["rotated", OTHER] });
    equal(await r.matchSecret(ESCAPED, await sign(SECRET, ESCAPED)), 0, "appSecret");
    equal(await r.matchSecret(ESCAPED, await sign("rotated", ESCAPED)), 1, "first additional secret");
    equal(await r.matchSecret(ESCAPED, await sign(OTHER, ESCAPED)), 2, "second additional secret");
    equal(await r.verify(ESCAPED, await sign(OTHER, ESCAPED)), true, "verify with an additional secret");
    equal((await r.receive(ESCAPED, await sign(OTHER, ESCAPED))).length, 1, "receive with an additional secret");
    for (const [secret, index] of [[SECRET, 0], [OTHER, 2]]) {
      const { response, calls } = await handled(api, r, post(ESCAPED, await sign(secret, ESCAPED)));
      equal(response.status, 200, `handle, secret ${index}`);
      equal(calls.length, 1, "the handler ran once");
      deepEqual(calls[0].context, { secretIndex: index }, "the handler's context");
    }
  },

  "webhook: re-serialised or re-encoded JSON is other bytes, and fails": async (api) => {
    const r = receiver(api);
    const good = await sign(SECRET, ESCAPED);
    const reserialised = JSON.stringify(JSON.parse(ESCAPED));
    assert(reserialised !== ESCAPED, "JSON.stringify changes the bytes");
    await expectError(api, () => r.receive(reserialised, good), "invalid_signature", "JSON.stringify(JSON.parse(body))");
    await expectError(api, () => r.receive(DECODED, good), "invalid_signature", "escapes decoded");
    equal(await r.verify(DECODED, good), false, "verify of the decoded body");
    // A fixture too: what a framework's body parser would hand over.
    const body = fixtures.instagram_messages;
    const fixtureSignature = await sign(SECRET, body);
    equal((await r.receive(body, fixtureSignature)).length, 18, "the fixture as sent");
    await expectError(api, () => r.receive(JSON.stringify(JSON.parse(body)), fixtureSignature), "invalid_signature", "the fixture re-serialised");
  },

  "webhook: the body as string, Uint8Array and ArrayBuffer; parsed JSON is refused": async (api) => {
    const r = receiver(api);
    const signature = await sign(SECRET, RAW_UTF8);
    const bytes = utf8(RAW_UTF8);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const expected = await r.receive(RAW_UTF8, signature);
    equal(expected.length, 1, "one event");
    // A view into a larger buffer (as a framework's pooled buffers are): only its bytes count.
    const pooled = new Uint8Array(bytes.byteLength + 16).fill(0x20);
    pooled.set(bytes, 8);
    const view = pooled.subarray(8, 8 + bytes.byteLength);
    for (const [what, body] of [["Uint8Array", bytes], ["ArrayBuffer", buffer], ["a Uint8Array view at an offset", view]]) {
      equal(await r.matchSecret(body, signature), 0, `${what}: matchSecret`);
      deepEqual(await r.receive(body, signature), expected, `${what}: the same events as the string`);
    }
    for (const [what, body] of [["a parsed object", JSON.parse(RAW_UTF8)], ["null", null], ["a number", 42]]) {
      await expectError(api, () => r.receive(body, signature), "invalid_argument", `receive(${what})`);
      await expectError(api, () => r.verify(body, signature), "invalid_argument", `verify(${what})`);
    }
  },

  "webhook: an empty body is signed like any other, then is not Meta's envelope": async (api) => {
    const r = receiver(api);
    const signature = await sign(SECRET, "");
    equal(await r.verify("", signature), true, "verify");
    await expectError(api, () => r.receive("", signature), "invalid_payload", "receive");
    const { response, calls } = await handled(api, r, post("", signature));
    equal(response.status, 400, "handle");
    equal(calls.length, 0, "no handler call");
  },

  "webhook: not Meta's envelope under a valid signature: invalid_payload, 400": async (api) => {
    const r = receiver(api);
    for (const body of ["[]", '{"foo":1}', "not json", '{"object":"page"}', '{"object":"page","entry":{}}']) {
      const signature = await sign(SECRET, body);
      await expectError(api, () => r.receive(body, signature), "invalid_payload", `receive ${body}`);
      const { response, calls } = await handled(api, r, post(body, signature));
      equal(response.status, 400, `handle ${body}`);
      equal(calls.length, 0, `no handler call for ${body}`);
    }
    deepEqual(await r.receive('{"object":"page","entry":[]}', await sign(SECRET, '{"object":"page","entry":[]}')), [], "the smallest envelope");
  },

  "webhook: maxBodyBytes: the cap is accepted, one byte more is invalid_payload (413)": async (api) => {
    const r = receiver(api, { maxBodyBytes: utf8(RAW_UTF8).byteLength });
    equal((await r.receive(RAW_UTF8, await sign(SECRET, RAW_UTF8))).length, 1, "the cap itself");
    const big = `${RAW_UTF8} `;
    for (const signature of [await sign(SECRET, big), "sha256=00"]) {
      const e = await expectError(api, () => r.receive(big, signature), "invalid_payload", `one byte over (${signature.slice(0, 10)})`);
      equal(e.status, 413, "status");
    }
    const { response, calls } = await handled(api, r, post(big, await sign(SECRET, big)));
    equal(response.status, 413, "handle, body over the cap");
    equal(calls.length, 0, "no handler call");
    // The default is 1 MiB.
    const mib = `{"object":"page","entry":[]}`.padEnd(1 << 20, " ");
    deepEqual(await receiver(api).receive(mib, await sign(SECRET, mib)), [], "1 MiB by default");
    await expectError(api, async () => receiver(api).receive(`${mib} `, await sign(SECRET, `${mib} `)), "invalid_payload", "1 MiB + 1");
  },

  "webhook: handle refuses a large declared content-length without reading the body": async (api) => {
    const r = receiver(api, { maxBodyBytes: 1000 });
    let read = false;
    // highWaterMark 0: pull() runs only when someone reads.
    const body = new ReadableStream({ pull() { read = true; throw new Error("the body was read"); } }, { highWaterMark: 0 });
    // A Request's constructor drops content-length in browsers (a forbidden header): the
    // request as a server runtime hands it over, by its shape.
    const request = { method: "POST", url: URL_BASE, body, headers: new Headers({ "content-length": "1001", "x-hub-signature-256": await sign(SECRET, "") }) };
    const { response, calls } = await handled(api, r, request);
    equal(response.status, 413, "status");
    equal(calls.length, 0, "no handler call");
    equal(read, false, "the body was not read");
  },

  "webhook: handle stops reading a huge body without content-length (413)": async (api) => {
    const max = 64 * 1024;
    const r = receiver(api, { maxBodyBytes: max });
    let pulled = 0;
    // 32 times the cap (ending, so a reader that does not stop fails the count instead of hanging).
    const body = new ReadableStream({
      pull(controller) {
        if (pulled >= 32 * max) return controller.close();
        pulled += 8192;
        controller.enqueue(new Uint8Array(8192).fill(32));
      },
    }, { highWaterMark: 0 });
    const request = new Request(URL_BASE, { method: "POST", body, duplex: "half", headers: { "x-hub-signature-256": await sign(SECRET, "") } });
    equal(request.headers.get("content-length"), null, "no content-length");
    const { response, calls } = await handled(api, r, request);
    equal(response.status, 413, "status");
    equal(calls.length, 0, "no handler call");
    assert(pulled > max && pulled <= max + 8 * 8192, `read just past the cap (${pulled} bytes)`);
  },

  "webhook: handle GET: the subscription handshake": async (api) => {
    const r = receiver(api);
    for (const challenge of ["1158201444", "not a number é & <x>"]) {
      const { response, text, calls } = await handled(api, r, get({ "hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": challenge }));
      equal(response.status, 200, `challenge ${challenge}`);
      equal(text, challenge, "the challenge verbatim");
      equal(calls.length, 0, "the handler is not called for GET");
    }
    const challenge = "challenge-7777";
    const refused = {
      "wrong token": { "hub.mode": "subscribe", "hub.verify_token": `${VERIFY}x`, "hub.challenge": challenge },
      "a prefix of the token": { "hub.mode": "subscribe", "hub.verify_token": VERIFY.slice(0, -1), "hub.challenge": challenge },
      "no token": { "hub.mode": "subscribe", "hub.challenge": challenge },
      "wrong mode": { "hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": challenge },
      "no mode": { "hub.verify_token": VERIFY, "hub.challenge": challenge },
    };
    for (const [what, query] of Object.entries(refused)) {
      const { response, text } = await handled(api, r, get(query));
      equal(response.status, 403, what);
      assert(!text.includes(challenge), `${what}: the challenge is not echoed (${text})`);
    }
    const tokenless = new api.WebhookReceiver({ appSecret: SECRET });
    for (const token of [VERIFY, ""]) {
      const { response } = await handled(api, tokenless, get({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1" }));
      equal(response.status, 403, `no verifyToken configured (given ${show(token)})`);
    }
  },

  "webhook: handle POST awaits the handler before answering 200": async (api) => {
    const r = receiver(api);
    const body = fixtures.messenger_messages;
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    let called;
    const handlerCalled = new Promise((resolve) => { called = resolve; });
    let answered = false;
    const answer = r.handle(await post(body, await sign(SECRET, body)), (events) => {
      called(events);
      return gate;
    });
    answer.then(() => { answered = true; }, () => { answered = true; });
    const events = await handlerCalled;
    equal(events.length, 9, "the handler got the delivery's events");
    await delay(50);
    equal(answered, false, "no response while the handler has not resolved");
    release();
    const response = await answer;
    equal(response.status, 200, "200 once the handler resolved");
    equal(await response.text(), "EVENT_RECEIVED", "body");
  },

  "webhook: handle POST: a throwing or rejecting handler is 500": async (api) => {
    const r = receiver(api);
    const body = fixtures.messenger_messages;
    const signature = await sign(SECRET, body);
    const handlers = {
      throws: () => { throw new Error("store failed"); },
      rejects: async () => { await delay(5); throw new Error("store failed"); },
      "rejects with a non-Error": () => Promise.reject("nope"),
    };
    for (const [what, handler] of Object.entries(handlers)) {
      const { response, text, calls } = await handled(api, r, post(body, signature), handler);
      equal(response.status, 500, what);
      equal(calls.length, 1, `${what}: called once`);
      assert(!text.includes("store failed"), `${what}: the handler's message is not sent to Meta`);
    }
  },

  "webhook: handle POST: bad or missing signature is 401, the handler not called": async (api) => {
    const r = receiver(api);
    const body = fixtures.messenger_messages;
    for (const [what, signature] of [["wrong secret", await sign("nope", body)], ["missing", undefined], ["sha1", "sha1=0123456789012345678901234567890123456789"]]) {
      const { response, calls } = await handled(api, r, post(body, signature));
      equal(response.status, 401, what);
      equal(calls.length, 0, `${what}: no handler call`);
    }
  },

  "webhook: handle answers 405 to other methods": async (api) => {
    const r = receiver(api);
    for (const method of ["PUT", "DELETE"]) {
      const { response, calls } = await handled(api, r, new Request(URL_BASE, { method, body: method === "PUT" ? "{}" : undefined }));
      equal(response.status, 405, method);
      equal(calls.length, 0, `${method}: no handler call`);
    }
  },

  "webhook: a receiver needs a non-empty appSecret": async (api) => {
    const bad = {
      "no options": undefined,
      "empty options": {},
      "empty appSecret": { appSecret: "" },
      "a number": { appSecret: 42 },
      "an empty additional secret": { appSecret: SECRET, additionalSecrets: [""] },
      "an empty verifyToken": { appSecret: SECRET, verifyToken: "" },
      "maxBodyBytes 0": { appSecret: SECRET, maxBodyBytes: 0 },
    };
    for (const [what, options] of Object.entries(bad)) {
      await expectError(api, () => new api.WebhookReceiver(options), "invalid_argument", what);
    }
    assert(new api.WebhookReceiver({ appSecret: SECRET }) instanceof api.WebhookReceiver, "a secret is enough");
  },

  "webhook: parsed events of each platform: type, platform, ids, times, raw and the message": async (api) => {
    const checks = [
      ["messenger_messages", 1, { type: "message", platform: "messenger", accountId: PAGE, userId: PSID, timestamp: 1767225601123, time: "2026-01-01T00:00:01.123Z" }, "m_reply", "re"],
      ["instagram_messages", 0, { type: "message", platform: "instagram", accountId: IG, userId: IGSID, timestamp: 1767225700123, time: "2026-01-01T00:01:40.123Z" }, "aWdf_text", "café 😀"],
    ];
    for (const [name, index, head, mid, text] of checks) {
      const all = await events(api, name);
      const sent = JSON.parse(fixtures[name]).entry.flatMap((e) => e.messaging);
      equal(all.length, sent.length, `${name}: one event per item`);
      for (const [i, event] of all.entries()) {
        equal(event.platform, head.platform, `${name}[${i}] platform`);
        equal(event.time, new Date(event.timestamp).toISOString(), `${name}[${i}] time is timestamp in ISO form`);
      }
      const event = all[index];
      for (const [field, value] of Object.entries(head)) equal(event[field], value, `${name}[${index}].${field}`);
      deepEqual(event.raw, sent[index], `${name}[${index}].raw is the item as sent`);
      equal(event.message.id, mid, `${name}[${index}].message.id is the mid`);
      equal(event.message.message, text, `${name}[${index}].message.message`);
    }
    // A numeric sender id beyond 2^53 stays exact (a JS number would round it).
    const [numeric] = await events(api, "messenger_messages");
    equal(numeric.userId, PSID, "the numeric sender id");
    equal(numeric.raw.sender.id, PSID, "raw keeps it exact, as its decimal text");
    equal(numeric.message.from.id, PSID, "and so does the message");
    // Other kinds, as the union declares them.
    const ig = await events(api, "instagram_messages");
    deepEqual(ig.map((e) => e.type), ["message", "message", "message", "message", "message", "message", "message", "unsend",
      "message", "message", "message", "echo", "message", "reaction", "reaction", "read", "postback", "referral"], "instagram kinds");
    equal(ig[7].mid, "aWdf_text", "unsend names its mid");
    equal(ig[13].action, "react", "reaction action");
    equal(ig[13].emoji, "😂", "reaction emoji");
    equal(ig[11].userId, IGSID, "an echo's user is the recipient");
  },

  "inbox: applying events twice and in reverse order gives the same threads": async (api) => {
    await api.initWasm();
    const all = [];
    for (const name of ["messenger_messages", "messenger_echoes", "messenger_events", "instagram_messages", "batch_3x2", "duplicate_mid"]) {
      all.push(...(await events(api, name)));
    }
    const forward = new api.Inbox();
    forward.applyEvents(all);
    const twice = new api.Inbox();
    twice.applyEvents(all);
    twice.applyEvents(all);
    const backward = new api.Inbox();
    for (const event of [...all].reverse()) backward.applyEvents([event]);
    const threads = forward.threads();
    assert(threads.length >= 5, `threads of both platforms (${threads.length})`);
    deepEqual(twice.threads(), threads, "applied twice");
    deepEqual(backward.threads(), threads, "applied one by one in reverse");
    for (const t of threads) {
      equal(new Set(ids(t)).size, t.messages.length, `${t.key}: each message once`);
      equal(t.key, `${t.platform}:${t.accountId}:${t.userId}`, "the key");
    }
    const times = threads.map((t) => t.updated_time);
    assert(times.every((t, i) => i === 0 || t <= times[i - 1]), `newest activity first: ${times}`);
  },

  "inbox: since() and thread(key)": async (api) => {
    await api.initWasm();
    const inbox = new api.Inbox();
    equal(inbox.since(), undefined, "empty: no since");
    equal(inbox.threads().length, 0, "empty: no threads");
    inbox.applyEvents(await events(api, "messenger_messages"));
    // The newest message is 2026-01-01T00:00:08.123Z; since is a minute before, in Graph's form.
    equal(inbox.since(), "2025-12-31T23:59:08+0000", "since");
    const key = `messenger:${PAGE}:${PSID}`;
    const thread = inbox.thread(key);
    assert(thread !== undefined, `thread ${key}`);
    deepEqual(thread, inbox.threads()[0], "thread(key) is the thread threads() lists");
    equal(thread.messages.length, 9, "every message");
    equal(thread.messages[0].id, JSON.parse(fixtures.messenger_messages).entry[0].messaging[8].message.mid, "newest first");
    equal(inbox.thread(`messenger:${PAGE}:1`), undefined, "an unknown key");
    equal(inbox.thread("nonsense"), undefined, "a malformed key");
  },

  "inbox: an unsent message is removed, and a later duplicate does not bring it back": async (api) => {
    await api.initWasm();
    const ig = await events(api, "instagram_messages");
    const message = ig[0];
    const unsend = ig[7];
    equal(unsend.type, "unsend", "the unsend event");
    const key = `instagram:${IG}:${IGSID}`;
    const inbox = new api.Inbox();
    inbox.applyEvents([message]);
    deepEqual(ids(inbox.thread(key)), ["aWdf_text"], "the message is there");
    inbox.applyEvents([unsend]);
    deepEqual(ids(inbox.thread(key) ?? { messages: [] }), [], "unsent: gone");
    inbox.applyEvents([message]);
    deepEqual(ids(inbox.thread(key) ?? { messages: [] }), [], "a duplicate delivery does not bring it back");
    const reversed = new api.Inbox();
    reversed.applyEvents([unsend, message]);
    deepEqual(ids(reversed.thread(key) ?? { messages: [] }), [], "the unsend first, then the message");
  },

  "inbox: bad input is invalid_argument, and the inbox stays usable": async (api) => {
    await api.initWasm();
    const inbox = new api.Inbox();
    const good = await events(api, "messenger_messages");
    const { raw: _raw, ...withoutRaw } = good[0];
    const bad = {
      "a string": "events",
      "an object": { events: good },
      "null": null,
      "an event without raw": [withoutRaw],
      "a number in the list": [good[0], 42],
    };
    for (const [what, value] of Object.entries(bad)) {
      await expectError(api, () => inbox.applyEvents(value), "invalid_argument", what);
    }
    equal(inbox.threads().length, 0, "nothing applied from a refused batch");
    await expectError(api, () => inbox.applySync({ conversation: { id: "t_1" }, messages: [] }, { platform: "messenger", accountId: PAGE }), "invalid_argument", "a sync item without participants");
    await expectError(api, () => inbox.applySync(syncedItem(), { platform: "email", accountId: PAGE }), "invalid_argument", "an unknown platform");
    inbox.applyEvents(good);
    equal(inbox.thread(`messenger:${PAGE}:${PSID}`)?.messages.length, 9, "a later valid apply works");
  },

  "inbox: a synced message and its webhook copy are one message": async (api) => {
    await api.initWasm();
    const inbox = new api.Inbox();
    const account = { platform: "messenger", accountId: PAGE };
    inbox.applySync(syncedItem(), account);
    const key = `messenger:${PAGE}:${PSID}`;
    deepEqual(ids(inbox.thread(key)), ["m_text"], "the synced message");
    equal(inbox.thread(key).conversationId, "t_100000000000001", "the conversation id from the sync");
    const [copy] = await events(api, "messenger_messages");
    equal(copy.message.id, "m_text", "the webhook copy has the same id");
    inbox.applyEvents([copy]);
    inbox.applySync(syncedItem(), account);
    const thread = inbox.thread(key);
    deepEqual(ids(thread), ["m_text"], "one message");
    equal(inbox.threads().length, 1, "one thread");
    equal(thread.messages[0].message, "hello, world!", "its text");
    equal(inbox.linkConversation(key, "t_other"), true, "linkConversation of a known key");
    equal(inbox.linkConversation(`messenger:${PAGE}:1`, "t_x"), false, "linkConversation of an unknown key");
  },
};
