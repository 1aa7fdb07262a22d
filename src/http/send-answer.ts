import type { Response } from "express";
import { GRAPH_JSON } from "../legacy/response.js";
import type { SubmitAnswer } from "../delivery/strategy.js";

/** Writes a strategy's answer: relayed bytes as they came, our own objects as Graph JSON. */
export function sendAnswer(res: Response, a: SubmitAnswer): void {
  if (a.routing) res.locals.routing = a.routing; // named on the request's log line
  for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
  res.status(a.status);
  if (Buffer.isBuffer(a.body)) {
    res.end(a.body);
    return;
  }
  res.type(GRAPH_JSON).send(JSON.stringify(a.body));
}
