import type { Caller } from "../auth/types.js";
import type { AcceptedNotification, LegacyNotification, NotificationTargets } from "../legacy/types.js";
import type { DeliveryRole, StoredRouting } from "../store/store.js";
import type { NativeSend } from "./native-send.js";

/** What the HTTP layer knows about one accepted request, handed to the strategy. */
export interface SubmitContext {
  unsId: string;
  /** The installations of a registered subscription (unsId is then its primary id). */
  targets?: NotificationTargets;
  requestId: string;
  clientRequestId: string;
  baseUrl: string;
  caller: Caller;
  /** The caller's bearer token, for GRAPH_AUTH=passthrough only. */
  callerToken?: string;
  /** The body exactly as received (after decoding), for strategies that forward it. */
  rawBody: unknown;
  idempotencyKey?: string;
  traceparent?: string;
  /** Set by routing (ROUTING_FILE): the decision, and the destinations the sends are planned for. */
  routing?: PlannedRouting;
}

/** One destination a notification's sends are planned for, with the tag template of its hub. */
export interface SendTarget {
  destination: string;
  role: DeliveryRole;
  tagTemplate: string;
}

export interface PlannedRouting {
  decision: StoredRouting;
  /** Empty for a dry run: stored and answered, never sent. */
  targets: SendTarget[];
}

/** A Graph-shaped answer to relay to the caller as is. */
export interface SubmitAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Where routing sent it, for the request's log line (never sent to the caller). */
  routing?: StoredRouting;
}

/**
 * How an accepted legacy notification leaves the bridge. Chosen once, by BRIDGE_STRATEGY,
 * in select-strategy.ts.
 */
export interface DeliveryStrategy {
  readonly name: "hubs" | "graph" | "routed";
  submit(notification: LegacyNotification, ctx: SubmitContext): Promise<SubmitAnswer>;
  /** Throws when the upstream is not reachable (for /readyz). */
  checkReady(): Promise<void>;
}

/** Strategies that map to native sends can also show them without sending (POST /bridge/preview). */
export interface PreviewingStrategy extends DeliveryStrategy {
  preview(notification: AcceptedNotification, o?: { caller?: Caller }): { sends: NativeSend[]; routing?: StoredRouting };
}

export const canPreview = (s: DeliveryStrategy): s is PreviewingStrategy => typeof (s as PreviewingStrategy).preview === "function";
