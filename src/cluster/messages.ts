import type { MetricObjectWithValues, MetricValue } from "prom-client";

/**
 * The bridge's own messages between a cluster primary and its API processes. Each carries
 * `gnb`, so they never mix with other users of the IPC channel (node:cluster's own).
 */
export type ClusterMessage =
  | { gnb: "metrics-request"; id: number }
  | { gnb: "metrics-response"; id: number; text: string }
  | { gnb: "metrics-collect"; id: number }
  | { gnb: "metrics-collected"; id: number; metrics: Array<MetricObjectWithValues<MetricValue<string>>> }
  | { gnb: "rate-limit"; id: number; op: "init"; windowMs: number }
  | { gnb: "rate-limit"; id: number; op: "increment" | "decrement" | "resetKey"; key: string }
  /** totalHits and resetTime (epoch ms) after an increment; nothing for the other operations. */
  | { gnb: "rate-limit-result"; id: number; totalHits?: number; resetTimeMs?: number }
  /** Readiness of Notification Hubs, checked by the primary's NH client for every API process. */
  | { gnb: "hub-ready-request"; id: number }
  | { gnb: "hub-ready-response"; id: number; error?: string };

/** The answers an API process waits for, each to a request of its own with the same id. */
export type ReplyToApiProcess = Extract<ClusterMessage, { gnb: "metrics-response" | "rate-limit-result" | "hub-ready-response" }>;
const REPLIES: ReadonlySet<string> = new Set<ReplyToApiProcess["gnb"]>(["metrics-response", "rate-limit-result", "hub-ready-response"]);
export const isReplyToApiProcess = (m: ClusterMessage): m is ReplyToApiProcess => REPLIES.has(m.gnb);

export function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === "object" && m !== null && typeof (m as { gnb?: unknown }).gnb === "string" && typeof (m as { id?: unknown }).id === "number";
}
