// Node-only: the packed package against a server that answers with damaged Graph bodies, and
// (second test) damaged webhook deliveries through WebhookReceiver and Inbox. Every
// operation must resolve or reject with a GraphApiError (never another error, never hang), and the
// same client must work again right after. Seeded: FUZZ_SEED (default below) and FUZZ_CASES
// (default 300; `make fuzz` runs 20000). A failure names the seed and case to rerun.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import http from "node:http";
import { ConversationsClient, GraphApiError } from "graph-conversations";

const CASES = Number(process.env.FUZZ_CASES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const CALL_TIMEOUT_MS = 20_000;
const TOKEN = "EAAfuzzTOKEN0123456789";
const TIME = "2026-01-01T00:00:00+0000";

// mulberry32: small, seedable, good enough to pick mutations.
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}

// What a well-behaved Graph answers, by path.
function goodResponse(url, base) {
  const { pathname, searchParams } = new URL(url, "http://x");
  const thread = (id) => ({
    id, updated_time: TIME, snippet: "hi", message_count: 2, unread_count: 0,
    participants: { data: [{ id: "u_1", name: "A" }] },
    messages: { data: [{ id: `m_${id}_1`, created_time: TIME }, { id: `m_${id}_2`, created_time: TIME }] },
  });
  const message = (id) => ({ id, created_time: TIME, message: "hello", from: { id: "u_1", name: "A" } });
  const last = pathname.split("/").pop();
  if (last === "conversations") {
    if (searchParams.get("user_id")) return { data: [thread("t_1")] };
    if (searchParams.get("after") === "c1") return { data: [thread("t_3")], paging: { cursors: { after: "c2" } } };
    return {
      data: [thread("t_1"), thread("t_2")],
      paging: { cursors: { before: "c0", after: "c1" }, next: `${base}${pathname}?access_token=${TOKEN}&after=c1` },
    };
  }
  if (last === "messages") return { data: [message("m_1"), message("m_2")], paging: { cursors: { after: "z" } } };
  if (last.startsWith("t_")) return thread(last);
  return message(last);
}

const TOKENS = [",", "}", "]", "[", "{", "\"", ":", "null", "-0", "1e999", "NaN", "\\", "\\u", "\\ud800",
  "\"\\ud800\"", "\"\\udfff\\ud800\"", "9007199254740993", "123456789012345678901234567890", "\u0000",
  "\ufeff", "é", "\"error\":{\"code\":190},", "\"data\":null,", "\"id\":5,", "\"id\":\"a\",\"id\":\"b\",", "true"];

// Replaces one value somewhere in a parsed body with `make()`'s.
function replaceSomewhere(value, rng, make) {
  const spots = [];
  const walk = (v, parent, key) => {
    if (parent) spots.push([parent, key]);
    if (v && typeof v === "object") for (const k of Object.keys(v)) walk(v[k], v, k);
  };
  walk(value, null, null);
  if (spots.length === 0) return make();
  const [parent, key] = rng.pick(spots);
  parent[key] = make();
  return value;
}

const oddValue = (rng) => rng.pick([
  () => null, () => 2 ** 53 + 1, () => -(2 ** 63), () => 1e308, () => "12", () => "1657653067", () => true,
  () => [], () => ({}), () => [null], () => ({ data: "x" }), () => "x".repeat(rng.int(100)), () => 0.5,
])();

// A response: [status, headers, body (string or Buffer), cut (end the connection mid-body)].
const MUTATIONS = [
  ["truncated", (good, rng) => [200, {}, good.slice(0, rng.int(good.length))]],
  ["inserted token", (good, rng) => {
    const at = rng.int(good.length + 1);
    return [200, {}, good.slice(0, at) + rng.pick(TOKENS) + good.slice(at)];
  }],
  ["span deleted", (good, rng) => {
    const a = rng.int(good.length), b = a + rng.int(40);
    return [200, {}, good.slice(0, a) + good.slice(b)];
  }],
  ["deep nesting", (good, rng) => {
    const depth = rng.pick([129, 1000, 100_000]);
    const deep = "[".repeat(depth) + (rng.int(2) ? "]".repeat(depth) : "");
    const at = good.indexOf(":") + 1;
    return [200, {}, rng.int(2) ? deep : good.slice(0, at) + deep + good.slice(at)];
  }],
  ["huge string", (good, rng) => {
    const huge = "x".repeat((2 + rng.int(4)) * 1024 * 1024);
    return [200, {}, good.replace("\"hi\"", JSON.stringify(huge)).replace("\"hello\"", JSON.stringify(huge))];
  }],
  ["invalid UTF-16 escape", (good, rng) => {
    const escape = rng.pick(["\\ud800", "\\udc00", "\\ud800\\ud800", "\\uDBFF", "\\u0000"]);
    return [200, {}, good.replace(/"(t_1|m_1|hi|hello|A|c1)"/g, (m) => (rng.int(2) ? `"${escape}${m.slice(1)}` : m))];
  }],
  ["number beyond 2^53", (good, rng) => [200, {}, good
    .replace(/"message_count":\d+/, `"message_count":${rng.pick(["9007199254740993", "18446744073709551616", "-9223372036854775809", "1e400"])}`)
    .replace(/"id":"(t_1|m_1)"/, rng.int(2) ? "\"id\":12345678901234567890123" : "$&")]],
  ["wrong type", (good, rng) => [200, {}, JSON.stringify(replaceSomewhere(JSON.parse(good), rng, () => oddValue(rng)))]],
  ["random bytes", (_good, rng) => [200, {}, Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256)))]],
  ["wrong shape", (_good, rng) => [200, {}, rng.pick(["[]", "\"x\"", "42", "null", "{}", "{\"data\":{}}", "{\"data\":\"x\"}",
    "{\"data\":[1,2]}", "{\"data\":[null]}", "[{\"id\":\"t_1\"}]", "{\"id\":[]}", "{\"paging\":{\"next\":5},\"data\":[]}", "true"])]],
  ["html", (_good, rng) => [rng.pick([200, 502, 503, 404]), { "content-type": "text/html" }, "<!DOCTYPE html><html><body><h1>Sorry, something went wrong.</h1></body></html>"]],
  ["empty", (_good, rng) => [rng.pick([200, 201, 204, 500, 400]), {}, ""]],
  ["odd status", (good, rng) => [rng.pick([202, 203, 206, 299, 300, 304, 399, 400, 401, 402, 403, 404, 405, 418, 429, 451, 499, 500, 503, 599]), {}, good]],
  ["error envelope", (_good, rng) => [rng.pick([200, 400, 429, 500]), {}, JSON.stringify({
    error: replaceSomewhere({
      message: `Invalid OAuth access token ${TOKEN}`, type: "OAuthException", code: rng.pick([1, 2, 4, 17, 100, 190, 9000001, "190", null]),
      error_subcode: rng.pick([33, "x", undefined]), fbtrace_id: rng.pick(["AbC", TOKEN, 7]), is_transient: rng.pick([true, "yes"]),
      error_user_msg: `${TOKEN} please reduce the amount of data`,
    }, rng, () => (rng.int(2) ? oddValue(rng) : TOKEN)),
  })]],
  ["odd usage headers", (good, rng) => [rng.pick([200, 429]), {
    "x-app-usage": rng.pick(["{\"call_count\":\"x\"}", "{", "[]", "{\"call_count\":1e999,\"total_time\":-1}", "null"]),
    "x-business-use-case-usage": rng.pick(["{\"1\":[{\"type\":\"pages\",\"call_count\":101,\"estimated_time_to_regain_access\":\"x\"}]}", "{\"1\":5}", "{", "{\"1\":[{\"estimated_time_to_regain_access\":1e300}]}"]),
  }, good]],
  ["connection cut", (good, rng) => [200, { "content-length": String(good.length + 10) }, good.slice(0, rng.int(good.length)), true]],
];

function withTimeout(promise, what) {
  let timer;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

const OPERATIONS = {
  listConversations: (c) => c.listConversations("me", { platform: "messenger" }),
  findConversation: (c) => c.findConversation("me", { platform: "messenger", userId: "u_1" }),
  getConversation: (c) => c.getConversation("t_1"),
  listMessages: (c) => c.listMessages("t_1", {}),
  getMessage: (c) => c.getMessage("m_1"),
  "conversations().toArray": (c) => c.conversations("me", { platform: "messenger" }).toArray({ limit: 50 }),
  "messages().toArray": (c) => c.messages("t_1").toArray({ limit: 50 }),
  syncInbox: async (c) => {
    const out = [];
    for await (const item of c.syncInbox("me", { platform: "instagram", detailsPerConversation: 2 })) {
      out.push(item);
      if (out.length >= 20) break;
    }
    return out;
  },
};

test(`${CASES} mutated responses: every operation settles with a result or a GraphApiError, and the client still works`, async () => {
  // The current case while mutating (null: well-formed answers): its rng, and for syncInbox the
  // one request to damage (the sync retries failures itself, with backoff; one per case keeps
  // the run short while still hitting the list, the thread pages and the details in turn).
  let fuzz = null;
  let base;
  const server = http.createServer((req, res) => {
    const good = JSON.stringify(goodResponse(req.url, base));
    // Most requests of a case are damaged; some pass, so later steps of a list run too.
    const damage = fuzz !== null && (fuzz.damageAt === null ? fuzz.rng.next() >= 0.3 : fuzz.seen++ === fuzz.damageAt);
    if (!damage) {
      res.setHeader("content-type", "application/json");
      return res.end(good);
    }
    const [, mutate] = fuzz.rng.pick(MUTATIONS);
    const [status, headers, body, cut] = mutate(good, fuzz.rng);
    res.writeHead(status, headers);
    if (cut) {
      res.write(body);
      res.socket.destroy();
    } else {
      res.end(status === 204 || status === 304 ? undefined : body);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  const client = new ConversationsClient({ accessToken: TOKEN, baseUrl: base, maxRetries: 0, requestsPerSecond: 0 });
  const names = Object.keys(OPERATIONS);
  const outcomes = { resolved: 0, rejected: 0 };
  const started = Date.now();
  try {
    for (let i = 0; i < CASES; i++) {
      const name = names[i % names.length];
      const run = OPERATIONS[name];
      const where = `FUZZ_SEED=${SEED} case ${i} (${name}); rerun with FUZZ_SEED=${SEED} FUZZ_CASES=${i + 1}`;
      const rng = prng(SEED * 1_000_003 + i);
      fuzz = { rng, damageAt: name === "syncInbox" ? rng.int(4) : null, seen: 0 };
      try {
        await withTimeout(run(client), where);
        outcomes.resolved++;
      } catch (error) {
        assert.ok(error instanceof GraphApiError, `${where}: not a GraphApiError: ${error?.stack ?? error}`);
        assert.equal(typeof error.kind, "string", `${where}: no kind`);
        const shown = `${error.message} ${JSON.stringify(error)}`;
        assert.ok(!shown.includes(TOKEN), `${where}: the token is in the error: ${shown}`);
        outcomes.rejected++;
      } finally {
        fuzz = null;
      }
      // The same client, well-formed answers: it must work as if nothing happened.
      await withTimeout(run(client), `${where}, the well-formed call after it`).catch((error) => {
        assert.fail(`${where}: the client is unusable after the case: ${error?.stack ?? error}`);
      });
    }
  } finally {
    server.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: seed ${SEED}, ${CASES} cases in ${seconds} s: ${outcomes.resolved} resolved, ${outcomes.rejected} rejected with a GraphApiError`);
  assert.ok(CASES < 50 || outcomes.rejected > CASES / 4, "the mutations reached the decoders");
});

// ---- webhook deliveries ------------------------------------------------------------------------
// The fixtures of tests/webhooks.rs (staged beside this file by scripts/test-js.sh), damaged and
// then signed, so every body passes the signature and reaches the parser; the events that come
// out, themselves damaged, go into one long-lived Inbox.

const WEBHOOK_MUTATIONS = [
  ["truncated", (body, rng) => body.slice(0, rng.int(body.length))],
  ["inserted token", (body, rng) => {
    const at = rng.int(body.length + 1);
    return body.slice(0, at) + rng.pick(TOKENS) + body.slice(at);
  }],
  ["span deleted", (body, rng) => {
    const a = rng.int(body.length), b = a + rng.int(40);
    return body.slice(0, a) + body.slice(b);
  }],
  ["byte flipped", (body, rng) => {
    const bytes = new TextEncoder().encode(body);
    bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
    return bytes;
  }],
  ["wrong type", (body, rng) => JSON.stringify(replaceSomewhere(JSON.parse(body), rng, () => oddValue(rng)))],
  ["several wrong types", (body, rng) => {
    let value = JSON.parse(body);
    for (let i = 0; i < 2 + rng.int(6); i++) value = replaceSomewhere(value, rng, () => oddValue(rng));
    return JSON.stringify(value);
  }],
  ["deep nesting", (body, rng) => {
    const depth = rng.pick([129, 1000, 100_000]);
    const deep = "[".repeat(depth) + (rng.int(2) ? "]".repeat(depth) : "");
    const at = body.indexOf("\"messaging\":") + "\"messaging\":".length;
    return body.slice(0, at) + deep + body.slice(at);
  }],
  ["numbers beyond 2^53", (body, rng) => body.replace(/"(timestamp|time|id)":"?\d+"?/g, (m, key) =>
    (rng.int(2) ? `"${key}":${rng.pick(["9007199254740993", "18446744073709551616", "-9223372036854775809", "1e400", "-1", "0.5"])}` : m))],
  ["invalid UTF-16 escape", (body, rng) => body.replace(/"(m_\w+|aWdf_\w+|\d{10,})"/g, (m) =>
    (rng.int(2) ? `"${rng.pick(["\\ud800", "\\udc00", "\\u0000"])}${m.slice(1)}` : m))],
  ["invalid UTF-8", (body, rng) => {
    const bytes = Buffer.from(body);
    const at = rng.int(bytes.length);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([rng.pick([0xc3, 0xff, 0xed, 0xf4, 0x80])]), bytes.subarray(at)]);
  }],
  ["duplicate keys", (body) => body.replace(/"mid":"([^"]+)"/g, "\"mid\":\"$1\",\"mid\":\"other\"")],
  ["kinds swapped", (body, rng) => body.replace(/"(message|reaction|read|delivery|postback|referral|message_edit|optin|pass_thread_control)":/g,
    () => `"${rng.pick(["message", "reaction", "read", "delivery", "postback", "referral", "message_edit", "optin", "pass_thread_control", "x"])}":`)],
  ["object swapped", (body, rng) => body.replace(/"object":"\w+"/, `"object":${rng.pick(["\"page\"", "\"instagram\"", "\"user\"", "null", "5", "[]"])}`)],
  ["random bytes", (_body, rng) => Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256)))],
];

// Damage to the events themselves before they reach the Inbox (what a caller's storage may do).
const EVENT_MUTATIONS = [
  (e) => e,
  (e, rng) => ({ ...e, [rng.pick(["platform", "accountId", "userId", "timestamp", "time", "type", "raw", "standby"])]: oddValue(rng) }),
  (e, rng) => ({ ...e, raw: replaceSomewhere(structuredClone(e.raw), rng, () => oddValue(rng)) }),
  (e, rng) => {
    const copy = { ...e };
    delete copy[rng.pick(["platform", "accountId", "userId", "timestamp", "raw", "type", "message"])];
    return copy;
  },
  (e, rng) => ({ ...e, accountId: rng.pick(["", "x".repeat(10_000), "a:b", "\ud800"]), userId: rng.pick(["", ":", "1"]) }),
  (e, rng) => ({ ...e, timestamp: rng.pick([NaN, Infinity, -1, 2 ** 63, 1.5, "1767225600123"]) }),
];

test(`${CASES} mutated webhook bodies: receive and Inbox.applyEvents fail only with a GraphApiError, and stay usable`, async () => {
  const { Inbox, WebhookReceiver, clientDefaults } = await import("graph-conversations");
  const { fixtures } = await import("./webhook-fixtures.mjs");
  const names = Object.keys(fixtures);
  assert.ok(names.length >= 8, `the fixtures are staged: ${names}`);
  const secret = "fuzz-app-secret";
  const receiver = new WebhookReceiver({ appSecret: secret, maxBodyBytes: 4 << 20 });
  const sign = (body) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const good = fixtures.messenger_messages;
  const inbox = new Inbox();
  const outcomes = { parsed: 0, refused: 0, applied: 0, applyRefused: 0, events: 0 };
  const foreign = [];
  const started = Date.now();
  for (let i = 0; i < CASES; i++) {
    const rng = prng(SEED * 7_000_003 + i);
    const name = names[i % names.length];
    const [mutation, mutate] = rng.pick(WEBHOOK_MUTATIONS);
    const where = `FUZZ_SEED=${SEED} case ${i} (${name}, ${mutation}); rerun with FUZZ_SEED=${SEED} FUZZ_CASES=${i + 1}`;
    let body;
    try {
      body = mutate(fixtures[name], rng);
    } catch {
      body = fixtures[name]; // a mutation that needs valid JSON, on a body that is not
    }
    let events = [];
    try {
      events = await receiver.receive(body, sign(body));
      assert.ok(Array.isArray(events), `${where}: receive resolves to an array`);
      outcomes.parsed++;
    } catch (error) {
      if (!(error instanceof GraphApiError)) foreign.push(`${where}: receive: ${error?.stack ?? error}`);
      else assert.equal(error.kind, "invalid_payload", `${where}: kind of ${error.message}`);
      outcomes.refused++;
    }
    outcomes.events += events.length;
    const damaged = events.map((e) => rng.pick(EVENT_MUTATIONS)(e, rng));
    try {
      inbox.applyEvents(damaged);
      inbox.threads();
      outcomes.applied++;
    } catch (error) {
      if (!(error instanceof GraphApiError)) foreign.push(`${where}: applyEvents: ${error?.stack ?? error}`);
      outcomes.applyRefused++;
    }
    // The same receiver, the same inbox and the wasm instance still work with a good delivery.
    try {
      const fine = await receiver.receive(good, sign(good));
      assert.equal(fine.length, 9, `${where}: the good delivery after it`);
      inbox.applyEvents(fine);
      assert.ok(inbox.threads().length > 0, `${where}: the inbox lists threads after it`);
    } catch (error) {
      assert.fail(`${where}: unusable after the case: ${error?.stack ?? error}`);
    }
  }
  // The wasm did not trap: the client side of the same instance answers too.
  assert.equal(typeof (await clientDefaults()).apiVersion, "string", "clientDefaults after the fuzz");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`webhook fuzz: seed ${SEED}, ${CASES} cases in ${seconds} s: ${JSON.stringify(outcomes)}, ${foreign.length} failures that are not a GraphApiError`);
  assert.deepEqual(foreign, [], "every failure is a GraphApiError");
  assert.ok(CASES < 50 || (outcomes.refused > CASES / 10 && outcomes.parsed > CASES / 10 && outcomes.events > CASES), "the mutations reached both the parser's refusals and the inbox");
});
