import type { Config } from "../../config.js";
import type { WireError } from "../../delivery/hubs/threads/protocol.js";
import type { AttemptEvent } from "../worker.js";

/** What the outbox thread starts with: the validated config, NH resolved (the embedded emulator's too). */
export interface OutboxThreadData {
  config: Config;
  connectionString: string;
}

/** Main → thread. */
export type ToOutboxThread = { type: "stop" } | { type: "ready"; id: number };

/** Thread → main. Attempts come back so the main thread's /metrics counts them. */
export type FromOutboxThread =
  | { type: "started" }
  | { type: "attempts"; events: AttemptEvent[] }
  | { type: "stopped" }
  | { type: "ready"; id: number; error?: WireError }
  | { type: "failed"; message: string };
