import type { AddressInfo } from "node:net";
import express from "express";

/** Floor (c): Express 5 with express.json() and one route answering 201, nothing else (no helmet, no store). */
const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.use(express.json());
app.post("/beta/me/notifications", (req, res) => {
  res.status(201).json({ id: "00000000-0000-0000-0000-000000000000", received: typeof req.body === "object" });
});
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
server.keepAliveTimeout = 60_000;
process.on("SIGTERM", () => server.close(() => process.exit(0)));
