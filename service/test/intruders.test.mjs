// Bad input and intruders: every request the API contract (API.md, "The inbox service") says to
// refuse is refused with its status, and none of them changes anything: the directory listing,
// the stored inbox and graph-sim's count of Graph calls are the same before and after. Another
// tenant can neither read, delete, watch nor claim the account; forged webhook deliveries store
// nothing; CORS answers only the allowed origin. No response or log line holds the access token
// or a secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { startSim, tool } from "../launch.mjs";
import { SECRETS, apiClient, startService, stateDir, waitFor } from "./harness.mjs";

const PAGE = { id: "106000000000001", token: "sim-page-token" };
const OTHER_KEY = SECRETS.TENANT_KEYS.split("=")[1];
const ORIGIN = "https://dash.example";
const FORGED_SECRET = "an-intruders-own-app-secret";

const b64url = (text) => Buffer.from(text).toString("base64url");
const sign = (secret, body) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A Messenger message delivery for `userId`'s thread, as Meta (and graph-sim) send one. */
function delivery(userId, mid, text) {
  const now = Date.now();
  return JSON.stringify({
    object: "page",
    entry: [{ id: PAGE.id, time: now, messaging: [{ sender: { id: userId }, recipient: { id: PAGE.id }, timestamp: now, message: { mid, text } }] }],
  });
}

/** The HTTP status a WebSocket upgrade to `url` is answered with (101 when it opens). */
function upgradeStatus(url, headers) {
  const WebSocket = tool("ws");
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"), { headers });
    ws.on("open", () => {
      ws.terminate();
      resolve(101);
    });
    ws.on("unexpected-response", (req, res) => {
      res.resume();
      resolve(res.statusCode);
      req.destroy();
    });
    ws.on("error", reject);
  });
}

/**
 * `send()` again when the connection was reset while the body was still being written: a server
 * that answers 413 without reading the rest of the body closes the connection, and the client's
 * next write can fail before it reads the answer. Any answer is returned (and asserted) as it is.
 */
async function answered(label, send, tries = 5) {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (e) {
      const code = e?.cause?.code ?? e?.code;
      if (i >= tries || !["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"].includes(code)) throw new Error(`${label}: ${e.message} (${code})`, { cause: e });
    }
  }
}

test("bad input and intruders are refused with the right status, and change nothing", async () => {
  const sim = await startSim([
    "--seed", "11", "--pages", "3", "--messenger-threads", "6", "--instagram-threads", "3", "--messages", "1..6",
    "--webhook-secret", SECRETS.APP_SECRET, "--verify-token", SECRETS.VERIFY_TOKEN,
  ]);
  const service = await startService({ persist: stateDir(), vars: { GRAPH_BASE_URL: sim.url, ALLOWED_ORIGINS: ORIGIN } });
  const api = apiClient(service.url);
  const other = apiClient(service.url, OTHER_KEY);
  const anon = apiClient(service.url, null);
  /** Any request, its answer's text kept with the API clients' for the final scan. */
  const raw = async (path, init = {}) => {
    const res = await fetch(`${service.url}${path}`, init);
    const text = await res.text();
    api.seen.push(text);
    return { status: res.status, text, headers: res.headers };
  };
  const statusOf = async (label, promise, expected) => {
    const r = await promise;
    assert.equal(r.status, expected, `${label}: ${r.status} ${r.text}`);
    return r;
  };
  try {
    // ---- one account, connected legitimately and live ----
    const connected = await api.call("/api/accounts", { body: { platform: "messenger", accountId: PAGE.id, accessToken: PAGE.token } });
    assert.equal(connected.status, 202, connected.text);
    await waitFor("the account live", async () => {
      const r = await api.call(`/api/accounts/${PAGE.id}`);
      return r.body?.status === "live" && r.body;
    });
    const threadsBase = await api.inbox(PAGE.id);
    assert.ok(threadsBase.length >= 3, `the backfill stored threads (${threadsBase.length})`);
    const thread = threadsBase[0];
    const messagesPath = `/api/accounts/${PAGE.id}/threads/${encodeURIComponent(thread.key)}/messages`;

    // A correctly signed delivery is stored: the same payload forged below would be too.
    const genuineMid = "m_genuine_control_delivery";
    const genuine = delivery(thread.userId, genuineMid, "a genuine message");
    await statusOf("a signed delivery", raw("/webhooks", { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": sign(SECRETS.APP_SECRET, genuine) }, body: genuine }), 200);
    await waitFor("the signed delivery stored", async () => {
      const r = await api.call(messagesPath);
      return r.body?.data?.some((m) => m.id === genuineMid);
    }, 10_000);

    // ---- the baseline every refused request must leave as it is ----
    // (once the listing shows what the account itself says, the delivery's lastEventAt included)
    const own = await api.call(`/api/accounts/${PAGE.id}`);
    assert.ok(own.body.lastEventAt > 0, "the signed delivery is the account's last event");
    const listing = await waitFor("the listing up to date", async () => {
      const r = await api.call("/api/accounts");
      return r.status === 200 && r.body.length === 1 && r.body[0].lastEventAt === own.body.lastEventAt && r;
    }, 5000);
    assert.deepEqual(listing.body.map((a) => [a.accountId, a.status]), [[PAGE.id, "live"]]);
    const inboxBefore = await api.inbox(PAGE.id);
    assert.ok(inboxBefore.find((t) => t.key === thread.key).messages.some((m) => m.id === genuineMid));
    const statsBefore = await sim.stats();
    assert.ok(statsBefore.by_account[PAGE.id] > 0, "the backfill called Graph for the account");

    // ---- authentication ----
    for (const [label, headers] of [
      ["no Authorization", {}],
      ["a wrong key", { authorization: "Bearer not-the-api-key" }],
      ["the key with one character changed", { authorization: `Bearer ${SECRETS.API_KEY.slice(0, -1)}x` }],
      ["the key's prefix", { authorization: `Bearer ${SECRETS.API_KEY.slice(0, 10)}` }],
      ["Bearer and nothing", { authorization: "Bearer " }],
      ["Bearer alone", { authorization: "Bearer" }],
      ["another scheme", { authorization: `Basic ${SECRETS.API_KEY}` }],
      ["the key without a scheme", { authorization: SECRETS.API_KEY }],
      ["the verify token as a key", { authorization: `Bearer ${SECRETS.VERIFY_TOKEN}` }],
    ]) {
      for (const [method, path] of [["GET", "/api/accounts"], ["GET", `/api/accounts/${PAGE.id}/threads`], ["DELETE", `/api/accounts/${PAGE.id}`], ["GET", `/api/accounts/${PAGE.id}/live`]]) {
        await statusOf(`${label}: ${method} ${path}`, raw(path, { method, headers }), 401);
      }
    }
    await statusOf("connect without a key", anon.call("/api/accounts", { body: { platform: "messenger", accountId: "106000000100001", accessToken: "sim-page-token-1" } }), 401);
    await statusOf("a route that does not exist, without a key", anon.call("/api/nothing-here"), 401);
    await statusOf("a malformed path, without a key", anon.call("/api/accounts/%E0%A4%A"), 401);
    for (const [label, headers] of [["no key", {}], ["a wrong key", { authorization: "Bearer not-the-api-key" }], ["the other tenant's key", { authorization: `Bearer ${OTHER_KEY}` }]]) {
      const refused = await upgradeStatus(`${service.url}/api/accounts/${PAGE.id}/live`, headers);
      assert.equal(refused, label === "the other tenant's key" ? 404 : 401, `a WebSocket upgrade with ${label}`);
    }

    // ---- another tenant ----
    for (const [method, path] of [
      ["GET", `/api/accounts/${PAGE.id}`],
      ["GET", `/api/accounts/${PAGE.id}/threads`],
      ["GET", messagesPath],
      ["GET", `/api/accounts/${PAGE.id}/live`],
      ["DELETE", `/api/accounts/${PAGE.id}`],
    ]) {
      await statusOf(`another tenant: ${method} ${path}`, other.call(path, { method }), 404);
    }
    await statusOf("another tenant: live as an event stream", other.call(`/api/accounts/${PAGE.id}/live`, { headers: { accept: "text/event-stream" } }), 404);
    await statusOf("another tenant claims the account", other.call("/api/accounts", { body: { platform: "messenger", accountId: PAGE.id, accessToken: "an-intruders-token" } }), 409);
    await statusOf("another tenant claims the account for Instagram", other.call("/api/accounts", { body: { platform: "instagram", accountId: PAGE.id, accessToken: "an-intruders-token" } }), 409);
    const otherListing = await statusOf("another tenant's listing", other.call("/api/accounts"), 200);
    assert.deepEqual(otherListing.body, [], "another tenant lists none of the default tenant's accounts");

    // ---- account ids ----
    for (const id of ["abc", "1/2", "1".repeat(40), "-1", "12a", "１２３", " 123", "1.5", "", "106000000000001 "]) {
      await statusOf(`account id ${JSON.stringify(id)}`, api.call(`/api/accounts/${encodeURIComponent(id)}/threads`), 400);
      await statusOf(`account id ${JSON.stringify(id)} (status)`, api.call(`/api/accounts/${encodeURIComponent(id)}`), 400);
    }
    await statusOf("a path that does not decode", api.call("/api/accounts/%E0%A4%A/threads"), 400);
    const unknown = "106000000100002";
    for (const [method, path] of [
      ["GET", `/api/accounts/${unknown}`],
      ["GET", `/api/accounts/${unknown}/threads`],
      ["GET", `/api/accounts/${unknown}/threads/messenger:${unknown}:1/messages`],
      ["GET", `/api/accounts/${unknown}/live`],
      ["DELETE", `/api/accounts/${unknown}`],
    ]) {
      await statusOf(`unknown account: ${method} ${path}`, api.call(path, { method }), 404);
    }

    // ---- cursors and limits ----
    const threadsPath = `/api/accounts/${PAGE.id}/threads`;
    const firstPage = await statusOf("a page of one thread", api.call(`${threadsPath}?limit=1`), 200);
    assert.equal(firstPage.body.data.length, 1);
    assert.equal(typeof firstPage.body.next, "string", "a cursor to the next page");
    const secondPage = await statusOf("the next page", api.call(`${threadsPath}?limit=1&cursor=${firstPage.body.next}`), 200);
    assert.notEqual(secondPage.body.data[0].key, firstPage.body.data[0].key, "the cursor this service made pages on");
    const badCursors = [
      "not base64url!",
      "a+b/c=",
      "%00",
      "x".repeat(2000),
      b64url("\x00\xff junk bytes"),
      b64url("hello"),
      b64url("{}"),
      b64url('{"timeMs":1,"id":"x"}'),
      b64url("[]"),
      b64url('["1","x"]'),
      b64url("[1.5,\"x\"]"),
      b64url("[1,\"\"]"),
      b64url("[1,2]"),
      b64url('[1,"x",3]'),
      b64url("null"),
      b64url("42"),
    ];
    for (const cursor of badCursors) {
      await statusOf(`threads cursor ${JSON.stringify(cursor.slice(0, 40))}`, api.call(`${threadsPath}?cursor=${encodeURIComponent(cursor)}`), 400);
      await statusOf(`messages cursor ${JSON.stringify(cursor.slice(0, 40))}`, api.call(`${messagesPath}?cursor=${encodeURIComponent(cursor)}`), 400);
    }
    for (const limit of ["0", "101", "abc", "1.5", "-1", "", "01", "1e2", "100000000000000000000", " 5"]) {
      await statusOf(`threads limit ${JSON.stringify(limit)}`, api.call(`${threadsPath}?limit=${encodeURIComponent(limit)}`), 400);
      await statusOf(`messages limit ${JSON.stringify(limit)}`, api.call(`${messagesPath}?limit=${encodeURIComponent(limit)}`), 400);
    }
    await statusOf("limit 100", api.call(`${threadsPath}?limit=100`), 200);

    // ---- thread keys ----
    for (const key of ["abc", "messenger", `messenger:${PAGE.id}`, `telegram:${PAGE.id}:1`, `messenger:abc:1`, `messenger:${PAGE.id}:a/b`, `messenger:${PAGE.id}:${"9".repeat(65)}`, `messenger:${PAGE.id}:1:2`, `Messenger:${PAGE.id}:1`]) {
      await statusOf(`thread key ${JSON.stringify(key)}`, api.call(`/api/accounts/${PAGE.id}/threads/${encodeURIComponent(key)}/messages`), 400);
    }
    for (const key of [`messenger:${PAGE.id}:1`, `instagram:${PAGE.id}:${thread.userId}`, `messenger:106000000100001:${thread.userId}`]) {
      await statusOf(`unknown thread ${key}`, api.call(`/api/accounts/${PAGE.id}/threads/${encodeURIComponent(key)}/messages`), 404);
    }

    // ---- bodies ----
    const big = JSON.stringify({ platform: "messenger", accountId: "106000000100001", accessToken: "sim-page-token-1", pad: "x".repeat(64 * 1024) });
    await statusOf("a body over 64 KB", answered("a body over 64 KB", () => api.call("/api/accounts", { body: big })), 413);
    let sentChunked = 0;
    const chunked = () => {
      const chunks = [new TextEncoder().encode('{"platform":"messenger","accountId":"106000000100001","accessToken":"sim-page-token-1","pad":"')];
      for (let i = 0; i < 20; i++) chunks.push(new TextEncoder().encode("y".repeat(4096)));
      chunks.push(new TextEncoder().encode('"}'));
      sentChunked = 0;
      return new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) {
            sentChunked += next.byteLength;
            controller.enqueue(next);
          } else controller.close();
        },
      });
    };
    const streamed = await answered("a chunked body over 64 KB", () => raw("/api/accounts", { method: "POST", headers: { authorization: `Bearer ${SECRETS.API_KEY}`, "content-type": "application/json" }, body: chunked(), duplex: "half" }));
    assert.equal(streamed.status, 413, `a chunked body over 64 KB (no content-length; ${sentChunked} bytes sent): ${streamed.text}`);
    // Just under the cap is read (and refused for what it says, not for its size).
    const nearCap = JSON.stringify({ platform: "messenger", accountId: "106000000100001", accessToken: "sim-page-token-1", pad: "z".repeat(60 * 1024) });
    await statusOf("a body just under 64 KB", api.call("/api/accounts", { body: nearCap }), 400);
    for (const [label, body] of [
      ["not JSON", "platform=messenger"],
      ["an empty body", ""],
      ["truncated JSON", '{"platform":"messenger",'],
      ["bytes that are not UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
      ["a JSON array", JSON.stringify([{ platform: "messenger", accountId: "106000000100001", accessToken: "sim-page-token-1" }])],
      ["JSON null", "null"],
      ["a JSON string", '"messenger"'],
      ["a JSON number", "106000000100001"],
    ]) {
      await statusOf(`body: ${label}`, raw("/api/accounts", { method: "POST", headers: { authorization: `Bearer ${SECRETS.API_KEY}`, "content-type": "application/json" }, body }), 400);
    }
    const valid = { platform: "messenger", accountId: "106000000100001", accessToken: "sim-page-token-1" };
    for (const [label, body] of [
      ["a baseUrl that is not one of the service's Graph hosts", { ...valid, baseUrl: "https://graph.evil.example" }],
      ["a baseUrl on another loopback port", { ...valid, baseUrl: "http://127.0.0.1:9" }],
      ["an unknown field webhookUrl", { ...valid, webhookUrl: "https://evil.example/hook" }],
      ["an unknown field tenant", { ...valid, tenant: "other" }],
      ["no platform", { accountId: valid.accountId, accessToken: valid.accessToken }],
      ["platform whatsapp", { ...valid, platform: "whatsapp" }],
      ["platform Messenger", { ...valid, platform: "Messenger" }],
      ["platform as an array", { ...valid, platform: ["messenger"] }],
      ["no accountId", { platform: "messenger", accessToken: valid.accessToken }],
      ["accountId as a number", { ...valid, accountId: 106000000100001 }],
      ["accountId abc", { ...valid, accountId: "abc" }],
      ["accountId of 40 digits", { ...valid, accountId: "1".repeat(40) }],
      ["accountId with a path", { ...valid, accountId: "106000000100001/../1" }],
      ["pageId abc", { ...valid, pageId: "abc" }],
      ["pageId as a number", { ...valid, pageId: 106000000000001 }],
      ["no accessToken", { platform: "messenger", accountId: valid.accountId }],
      ["accessToken too short", { ...valid, accessToken: "short" }],
      ["accessToken with a space", { ...valid, accessToken: "sim-page token-1" }],
      ["accessToken with a newline", { ...valid, accessToken: "sim-page-token-1\n" }],
      ["accessToken as a number", { ...valid, accessToken: 123456789012 }],
      ["accessToken too long", { ...valid, accessToken: "t".repeat(4097) }],
    ]) {
      const r = await statusOf(`body: ${label}`, api.call("/api/accounts", { body }), 400);
      assert.equal(r.body?.error?.status, 400, `${label}: an error object`);
    }

    // ---- forged webhook deliveries ----
    const forgedMids = [];
    const forge = (n) => {
      const mid = `m_forged_${n}`;
      forgedMids.push(mid);
      return delivery(thread.userId, mid, `forged ${n}`);
    };
    const post = (body, headers) => raw("/webhooks", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    let body = forge(1);
    await statusOf("a delivery with a wrong signature", post(body, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }), 401);
    body = forge(2);
    await statusOf("a delivery without a signature", post(body, {}), 401);
    body = forge(3);
    await statusOf("a delivery signed with another secret", post(body, { "x-hub-signature-256": sign(FORGED_SECRET, body) }), 401);
    body = forge(4);
    await statusOf("a delivery with another body's signature", post(body, { "x-hub-signature-256": sign(SECRETS.APP_SECRET, genuine) }), 401);
    body = forge(5);
    await statusOf("a delivery with a SHA-1 signature", post(body, { "x-hub-signature": `sha1=${createHmac("sha1", SECRETS.APP_SECRET).update(body).digest("hex")}` }), 401);
    body = forge(6);
    await statusOf("a delivery signed with the verify token", post(body, { "x-hub-signature-256": sign(SECRETS.VERIFY_TOKEN, body) }), 401);
    body = forge(7);
    const tampered = body.replace("forged 7", "forged 8");
    await statusOf("a signed delivery changed after signing", post(tampered, { "x-hub-signature-256": sign(SECRETS.APP_SECRET, body) }), 401);
    for (const [label, query] of [
      ["a wrong verify token", `hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1234`],
      ["no verify token", `hub.mode=subscribe&hub.challenge=1234`],
      ["the API key as verify token", `hub.mode=subscribe&hub.verify_token=${SECRETS.API_KEY}&hub.challenge=1234`],
      ["the right token with another mode", `hub.mode=unsubscribe&hub.verify_token=${SECRETS.VERIFY_TOKEN}&hub.challenge=1234`],
    ]) {
      const r = await statusOf(`handshake with ${label}`, raw(`/webhooks?${query}`), 403);
      assert.ok(!r.text.includes("1234"), `${label}: the challenge is not echoed`);
    }

    // ---- CORS ----
    const preflight = (origin) => raw(`/api/accounts`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
    const allowed = await statusOf("a preflight from the allowed origin", preflight(ORIGIN), 204);
    assert.equal(allowed.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(allowed.headers.get("access-control-allow-headers") ?? "", /authorization/i);
    for (const origin of ["https://evil.example", "https://dash.example.evil.example", "http://dash.example", "null"]) {
      const r = await preflight(origin);
      assert.equal(r.headers.get("access-control-allow-origin"), null, `no allow-origin for ${origin}`);
    }
    const fromDash = await api.call("/api/accounts", { headers: { origin: ORIGIN } });
    assert.equal(fromDash.status, 200);
    assert.equal(fromDash.headers.get("access-control-allow-origin"), ORIGIN, "the allowed origin's requests carry CORS headers");
    const fromEvil = await api.call("/api/accounts", { headers: { origin: "https://evil.example" } });
    assert.equal(fromEvil.headers.get("access-control-allow-origin"), null, "another origin's requests carry none");
    const unauthenticatedFromDash = await anon.call("/api/accounts", { headers: { origin: ORIGIN } });
    assert.equal(unauthenticatedFromDash.status, 401);

    // ---- nothing changed ----
    const listingAfter = await api.call("/api/accounts");
    assert.deepEqual(listingAfter.body, listing.body, "the directory listing is unchanged");
    assert.deepEqual((await other.call("/api/accounts")).body, [], "no account was connected for the other tenant");
    const statsAfter = await sim.stats();
    assert.equal(statsAfter.requests, statsBefore.requests, "no refused request reached Graph");
    assert.deepEqual(statsAfter.by_account, statsBefore.by_account, "no account's Graph calls changed");
    const inboxAfter = await api.inbox(PAGE.id);
    assert.deepEqual(inboxAfter, inboxBefore, "the stored inbox is unchanged");
    const storedMids = new Set(inboxAfter.flatMap((t) => t.messages.map((m) => m.id)));
    assert.deepEqual(forgedMids.filter((mid) => storedMids.has(mid)), [], "no forged message is stored");
    assert.ok(storedMids.has(genuineMid));

    // The right verify token does answer the challenge (the refusals above were for the token).
    const handshake = await statusOf("the handshake with the right token", raw(`/webhooks?hub.mode=subscribe&hub.verify_token=${SECRETS.VERIFY_TOKEN}&hub.challenge=98765`), 200);
    assert.equal(handshake.text, "98765");

    // ---- nothing leaked ----
    const secrets = [PAGE.token, SECRETS.API_KEY, OTHER_KEY, SECRETS.APP_SECRET, SECRETS.VERIFY_TOKEN, SECRETS.TOKEN_KEY, "an-intruders-token"];
    const responses = [...api.seen, ...other.seen, ...anon.seen];
    assert.ok(responses.length > 200, `every response was kept (${responses.length})`);
    for (const text of responses) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in a response: ${text.slice(0, 200)}`);
    }
    const logs = service.logs.join("");
    for (const secret of secrets) assert.ok(!logs.includes(secret), `a secret in the logs: ${secret.slice(0, 4)}…`);
  } finally {
    await service.dispose().catch(() => {});
    sim.stop();
  }
});
