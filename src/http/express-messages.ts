import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Express } from "express";

type NodeConstructor = (this: unknown, ...args: unknown[]) => void;

/**
 * Constructors for Node's HTTP server (its `IncomingMessage` and `ServerResponse` options) whose
 * objects are born with the Express app's request and response prototypes.
 *
 * Express switches every request and response to the app's prototypes (`Object.setPrototypeOf`
 * in `app.handle`). On an object created with Node's, that changes its V8 map, and measured under a
 * steady 1,000 requests/s the objects of about a third of all requests then survived the young
 * generation and filled the old one between full GCs (3-4 MB promoted per scavenge; bare
 * node:http: about 1 KB). Born with the right prototype, Express's call finds it in place and
 * changes nothing. Measurements: docs/designs/2026-11-request-objects-and-gc.md.
 */
export function expressMessageClasses(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  function BridgeIncomingMessage(this: unknown, socket: Socket): void {
    (IncomingMessage as unknown as NodeConstructor).call(this, socket);
  }
  BridgeIncomingMessage.prototype = app.request;
  function BridgeServerResponse(this: unknown, req: IncomingMessage, options?: unknown): void {
    (ServerResponse as unknown as NodeConstructor).call(this, req, options);
  }
  BridgeServerResponse.prototype = app.response;
  return {
    IncomingMessage: BridgeIncomingMessage as unknown as typeof IncomingMessage,
    ServerResponse: BridgeServerResponse as unknown as typeof ServerResponse,
  };
}
