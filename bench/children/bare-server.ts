import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The floor: a bare node:http server that reads the body and answers 201 with a small JSON body. */
const answer = JSON.stringify({ id: "00000000-0000-0000-0000-000000000000", payload: {} });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(201, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(answer) }).end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
