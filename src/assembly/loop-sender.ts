import type { Logger } from "pino";
import type { Tracer } from "@opentelemetry/api";
import type { Config } from "../config.js";
import { cacheReadiness, type HubSender } from "../delivery/hubs/hub-sender.js";
import { configuredHubDestination, createHubDestination, type HubDestination } from "../delivery/hubs/hub-destination.js";
import { traceSender } from "../observability/traced-delivery.js";
import { startOutboxThread, type OutboxThread } from "../outbox/thread/outbox-thread-host.js";
import type { CountedAttempt } from "../outbox/worker.js";
import type { ClusterWorkerLink } from "./types.js";

/** Where this event loop's Notification Hubs sends happen. */
export interface LoopSending {
  /** What the strategy and /readyz use: sends on this loop, or a stand-in when sends run elsewhere. */
  sender: HubSender;
  /** The destination sending on this loop, when it does. */
  destination?: HubDestination;
  /** The outbox thread, when the outbox (and every send) runs there. */
  outboxThread?: OutboxThread;
}

export interface LoopSendingOptions {
  connectionString: string;
  now: () => Date;
  logger: Logger;
  tracer?: Tracer;
  onAttempt: (e: CountedAttempt) => void;
  clusterWorker?: ClusterWorkerLink;
}

/**
 * The outbox on its thread: this loop sends nothing and loads no SDK. In a cluster's API process the
 * primary sends and answers readiness (caching it itself). Otherwise a destination sends here.
 */
export async function buildLoopSending(c: Config, o: LoopSendingOptions): Promise<LoopSending> {
  const primary = c.BRIDGE_ROLE === "api" ? o.clusterWorker : undefined;
  if (c.outboxOnThread) {
    const outboxThread = await startOutboxThread({ config: c, connectionString: o.connectionString }, { logger: o.logger, onAttempt: o.onAttempt });
    return { outboxThread, sender: traceSender(cacheReadiness(sendsElsewhere("the outbox thread", () => outboxThread.checkReady()), o.now), o.tracer) };
  }
  if (primary) return { sender: traceSender(sendsElsewhere("the cluster's primary", primary.hubReady), o.tracer) };
  const destination = await createHubDestination(configuredHubDestination(c, { connectionString: o.connectionString, now: o.now, sendThreads: c.NH_SEND_THREADS }));
  return { destination, sender: traceSender(cacheReadiness(destination.sender, o.now), o.tracer) };
}

/** A sender for a loop whose sends run elsewhere: readiness is asked there. */
function sendsElsewhere(where: string, checkReady: () => Promise<void>): HubSender {
  return { send: () => Promise.reject(new Error(`sends run on ${where}`)), checkReady };
}

