import type { Config } from "../../config.js";
import type { WireError } from "../../delivery/hubs/threads/protocol.js";
import type { RoutingTable } from "../../routing/types.js";
import type { CountedAttempt } from "../worker.js";

/** What the outbox thread starts with: the validated config, NH resolved (the embedded emulator's too). */
export interface OutboxThreadData {
  config: Config;
  connectionString: string;
}

/** Main → thread. */
export type ToOutboxThread =
  | { type: "stop" }
  /** destination: one hub of the routing file (ROUTING_FILE); absent: every hub this thread sends to. */
  | { type: "ready"; id: number; destination?: string }
  /** A reloaded routing table: the thread builds its new hubs, then answers "routing". */
  | { type: "routing"; id: number; table: RoutingTable };

/** Thread → main. Attempts come back so the main thread's /metrics counts them. */
export type FromOutboxThread =
  | { type: "started" }
  | { type: "attempts"; events: CountedAttempt[] }
  | { type: "stopped" }
  | { type: "ready"; id: number; error?: WireError }
  | { type: "routing"; id: number; error?: string }
  | { type: "failed"; message: string };
