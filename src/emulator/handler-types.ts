import type { HubStore } from "./hub-store.js";
import type { Operation } from "./operations.js";
import type { Scheduler } from "./scheduler.js";
import type { SendContext } from "./send.js";

/** One NH request after routing, authentication and strictness checks. */
export interface NhRequest {
  operation: Operation;
  query: URLSearchParams;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** `http://host:port` as the client addressed the emulator; used in Location headers. */
  origin: string;
}

export interface NhReply {
  status: number;
  headers?: Record<string, string>;
  contentType?: string;
  body?: string;
}

export interface HandlerDeps extends SendContext {
  store: HubStore;
  scheduler: Scheduler;
}

export const API_VERSION = "2020-06";

export function locationOf(origin: string, hub: string, collection: string, id: string): string {
  return `${origin}/${encodeURIComponent(hub)}/${collection}/${encodeURIComponent(id)}?api-version=${API_VERSION}`;
}

export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
