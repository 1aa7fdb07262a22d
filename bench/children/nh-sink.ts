import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A minimal Notification Hubs stand-in: every POST .../messages is answered 201 with the headers the
 * SDK reads (Location, TrackingId) and nothing is checked, so the bench measures the bridge, not an
 * emulator. GET /_count reports how many sends (and TCP connections) arrived; any other GET is 404 (readiness probe).
 * PUT /_outage with body `on` makes it answer every send 503 (an NH outage, counted as `refused`); `off` ends it.
 */
let sends = 0;
let refused = 0;
let outage = false;
let connections = 0;
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/_count") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sends, connections, refused }));
    return;
  }
  if (req.method === "PUT" && req.url === "/_outage") {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      outage = body.trim() === "on";
      res.writeHead(204).end();
    });
    return;
  }
  req.resume();
  req.on("end", () => {
    if (req.method === "POST" && req.url?.includes("/messages") && outage) {
      refused++;
      res.writeHead(503, { "Content-Length": "0" }).end();
      return;
    }
    if (req.method === "POST" && req.url?.includes("/messages")) {
      sends++;
      const id = sends.toString(36);
      res.writeHead(201, {
        Location: `https://bench.servicebus.windows.net/bench/messages/${id}?api-version=2020-06`,
        TrackingId: `bench-${id}`,
        "x-ms-correlation-request-id": `corr-${id}`,
        "Content-Length": "0",
      }).end();
      return;
    }
    res.writeHead(404, { "Content-Length": "0" }).end();
  });
});
server.keepAliveTimeout = 60_000;
server.on("connection", () => connections++);
server.listen(0, "127.0.0.1", () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
