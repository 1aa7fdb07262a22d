import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { listen, readBody, type Listening } from "./listen.js";

export interface GraphCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for graph.microsoft.com's notifications endpoint that records calls and answers as scripted. */
export async function startFakeGraph(answer: (call: GraphCall) => { status: number; body: unknown; headers?: Record<string, string> }): Promise<Listening & { calls: GraphCall[] }> {
  const calls: GraphCall[] = [];
  const server = await listen(async (req, res) => {
    const call = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: await readBody(req) };
    calls.push(call);
    const a = answer(call);
    res.statusCode = a.status;
    res.setHeader("request-id", randomUUID());
    res.setHeader("client-request-id", String(req.headers["client-request-id"] ?? ""));
    res.setHeader("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
    for (const [k, v] of Object.entries(a.headers ?? {})) res.setHeader(k, v);
    res.end(typeof a.body === "string" ? a.body : JSON.stringify(a.body));
  });
  return { ...server, calls };
}
