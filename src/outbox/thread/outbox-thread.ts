import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { configuredHubDestination, createHubDestination } from "../../delivery/hubs/hub-destination.js";
import { toDeliveryError } from "../../delivery/hubs/hub-sender.js";
import { toWireError } from "../../delivery/hubs/threads/protocol.js";
import { createLogger } from "../../observability/logger.js";
import { traceSender } from "../../observability/traced-delivery.js";
import { loadTracing } from "../../observability/load-tracing.js";
import { openStore } from "../../store/open-store.js";
import { createStoreHealth } from "../../store/logged-store-health.js";
import { watchStore } from "../../store/store-health.js";
import { createOutbox, outboxSettingsOf } from "../create-outbox.js";
import { routingHubFactory } from "../../routing/hub-factory.js";
import { createThreadRouting } from "../../routing/thread-routing.js";
import { countedAttempt, type AttemptEvent, type CountedAttempt } from "../process-delivery.js";
import type { FromOutboxThread, OutboxThreadData, ToOutboxThread } from "./protocol.js";

/**
 * The outbox thread: the outbox worker on its own event loop, with its own store connection and
 * NH client, so sending never competes with accepting on the main loop. Same worker, same
 * settings, same logs and spans as the in-loop worker; attempts are reported to the main thread
 * for metrics.
 */
const { config: c, connectionString } = workerData as OutboxThreadData;

// Accepting is the latency-sensitive work; sending is throughput work behind a durable queue. On
// Linux a nice value belongs to the thread that sets it, so this lowers only the outbox thread:
// when the cores are short, the kernel serves the accepting loop first. Measured on two shared
// cores at 1,000 notifications/s: accept p99 of 560-730 ms without, 20-80 ms with; the outbox
// kept pace either way (docs/designs/2026-11-outbox-thread.md).
const OUTBOX_THREAD_NICE = 10;
try {
  setPriority(OUTBOX_THREAD_NICE);
} catch {
  // not permitted on this system: run at the process's priority
}
const port = parentPort!;
const post = (m: FromOutboxThread) => port.postMessage(m);
const logger = createLogger({ level: c.LOG_LEVEL, base: { service: c.OTEL_SERVICE_NAME, thread: "outbox" } });
const now = () => new Date();

// Attempts are posted once per turn of this loop, not one message each.
// Only what /metrics counts crosses over: cloning ids, errors and dates cost both threads per send.
let batch: CountedAttempt[] = [];
const report = (e: AttemptEvent) => {
  if (batch.length === 0) setImmediate(() => { post({ type: "attempts", events: batch }); batch = []; });
  batch.push(countedAttempt(e));
};

try {
  const tracing = await loadTracing({ endpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: c.OTEL_SERVICE_NAME });
  const opened = await openStore(c.DATABASE_URL, { outboxOnly: true });
  const health = createStoreHealth(opened, logger, "outbox paused");
  const store = watchStore(opened, health);
  // With ROUTING_FILE this thread holds a hub per destination, kept in step with the main thread's reloads.
  const routing = c.routing ? await createThreadRouting(c.routing, routingHubFactory(c, now), now) : undefined;
  const destination = routing ? undefined : await createHubDestination(configuredHubDestination(c, { connectionString, now }));
  const sender = traceSender(routing?.sender ?? destination!.sender, tracing?.tracer);
  const worker = createOutbox({ store, sender, now, settings: outboxSettingsOf(c), health, tracer: tracing?.tracer, logger, onAttempt: report });
  port.on("message", (m: ToOutboxThread) => {
    if (m.type === "routing") {
      routing?.apply(m.table).then(() => post({ type: "routing", id: m.id }), (e: unknown) => post({ type: "routing", id: m.id, error: e instanceof Error ? e.message : String(e) }));
      return;
    }
    if (m.type === "ready") {
      // The main thread's /readyz asks here: this thread holds the NH client.
      (routing ? routing.checkReady(m.destination) : sender.checkReady()).then(
        () => post({ type: "ready", id: m.id }),
        (e: unknown) => post({ type: "ready", id: m.id, error: toWireError(toDeliveryError(e, now())) }),
      );
      return;
    }
    void (async () => {
      // Each step runs even if one fails: unfinished claims are retaken after their lease.
      for (const step of [() => worker.stop(), () => store.close(), async () => routing?.close(), async () => tracing?.shutdown()]) {
        try {
          await step();
        } catch (e) {
          logger.error({ err: e }, "outbox thread shutdown step failed; continuing");
        }
      }
      if (batch.length) post({ type: "attempts", events: batch });
      post({ type: "stopped" });
      port.close();
    })();
  });
  worker.start();
  post({ type: "started" });
} catch (e) {
  post({ type: "failed", message: e instanceof Error ? e.message : String(e) });
}
