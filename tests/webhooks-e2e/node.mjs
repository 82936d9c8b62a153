// The receiver app under Node's http server: `node node.mjs SIM_URL`; prints
// `listening on http://127.0.0.1:PORT` once it accepts connections.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import * as api from "graph-conversations";
import { createApp } from "./app.mjs";
import { APP_SECRET, GRAPH_LAG_MS, VERIFY_TOKEN } from "./settings.mjs";

const app = await createApp(api, { simUrl: process.argv[2], appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphLagMs: GRAPH_LAG_MS });
const server = createServer(async (req, res) => {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req), duplex: "half" } : {}),
  });
  const response = await app(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
