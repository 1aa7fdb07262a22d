import { DeliveryError } from "../../../errors.js";
import type { NativeSend } from "../../native-send.js";
import type { SendReceipt } from "../hub-sender.js";

/** What a sender thread is started with (structured-cloned into it). */
export interface SenderThreadData {
  /** The destination the thread sends for. */
  name: string;
  connectionString: string;
  hubName: string;
  timeoutMs: number;
}

/** Main → thread. */
export type SenderRequest =
  | { id: number; kind: "send"; send: NativeSend; tagExpression?: string }
  | { id: number; kind: "ready" };

/** A DeliveryError as plain data: errors lose their class crossing a thread boundary. */
export interface WireError {
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  timedOut?: boolean;
}

/** Thread → main. */
export type SenderReply = { id: number; ok: true; receipt?: SendReceipt } | { id: number; ok: false; error: WireError };

export const toWireError = (e: DeliveryError): WireError => ({
  message: e.message,
  status: e.status,
  retryable: e.retryable,
  retryAfterMs: e.retryAfterMs,
  timedOut: e.timedOut,
});

export const fromWireError = (w: WireError): DeliveryError =>
  new DeliveryError(w.message, { status: w.status, retryable: w.retryable, retryAfterMs: w.retryAfterMs, timedOut: w.timedOut });
