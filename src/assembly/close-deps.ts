import type { OutboxWorker } from "../outbox/worker.js";
import type { BridgeDeps } from "./build-deps.js";

/**
 * Stops and closes what buildDeps built, senders first. Each step runs even when an earlier one
 * failed (a store that went away cannot take claims back: those deliveries are retaken after
 * their lease, so nothing is lost).
 */
export async function closeDeps(d: BridgeDeps, worker?: OutboxWorker): Promise<void> {
  const steps: Array<[string, (() => Promise<void>) | undefined]> = [
    ["outbox worker", worker && (() => worker.stop())],
    ["outbox thread", d.outboxThread && (() => d.outboxThread!.stop())],
    ["store", d.store && (() => d.store!.close())],
    ["emulator", d.emulator && (() => d.emulator!.close())],
    ["sender threads", d.destination && (() => d.destination!.close())],
    ["tracing", d.tracing && (() => d.tracing!.shutdown())],
  ];
  for (const [name, step] of steps) {
    try {
      await step?.();
    } catch (e) {
      d.logger.error({ err: e, step: name }, "shutdown step failed; continuing");
    }
  }
}
