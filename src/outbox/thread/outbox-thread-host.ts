import type { ResourceLimits, Worker } from "node:worker_threads";
import type { Config } from "../../config.js";
import type { Logger } from "pino";
import { fromWireError } from "../../delivery/hubs/threads/protocol.js";
import { DeliveryError } from "../../errors.js";
import { startModuleThread } from "../../threads/module-thread.js";
import type { RoutingTable } from "../../routing/types.js";
import type { CountedAttempt } from "../worker.js";
import type { FromOutboxThread, OutboxThreadData } from "./protocol.js";

export interface OutboxThread {
  /** Asks the thread to finish in-flight sends and close its store; resolves when it has. */
  stop(): Promise<void>;
  /** Ends the thread abruptly, as a crash would (what the restart exists for; the tests use it). */
  crash(): Promise<void>;
  /** How many times the thread was started again after dying. */
  readonly restarts: number;
  /** Notification Hubs readiness, checked by the thread's NH client; fails while the thread is down. */
  checkReady(destination?: string): Promise<void>;
  /** Hands a reloaded routing table (ROUTING_FILE) to the thread; resolves once its hubs are built. */
  applyRouting(table: RoutingTable): Promise<void>;
}

/** How long after a thread dies it is started again. */
export const RESTART_DELAY_MS = 1000;

/**
 * The thread's heap ceiling. Below V8's default (a quarter of the machine's memory, up to 4 GB)
 * it also makes V8 grow the heap by small steps: with 512 MB the thread's old space peaks at 24 MB
 * (live 16-18 MB) instead of 56-72 MB, 35 MB less resident memory while sending at full speed, for
 * more full GCs of a small heap. docs/designs/2026-12-outbox-thread-memory.md
 */
export function outboxThreadLimits(c: Pick<Config, "OUTBOX_THREAD_MAX_OLD_GENERATION_MB">): ResourceLimits | undefined {
  return c.OUTBOX_THREAD_MAX_OLD_GENERATION_MB ? { maxOldGenerationSizeMb: c.OUTBOX_THREAD_MAX_OLD_GENERATION_MB } : undefined;
}
/** How long a (re)started thread has to open its store and start polling before the start counts as failed. */
export const START_TIMEOUT_MS = 30_000;

/**
 * Runs the outbox worker on a worker thread. Resolves once the thread has opened its store and
 * started polling; rejects if it cannot. A thread that dies later is logged and started again
 * (its claims are retaken after their lease, so nothing is lost).
 */
export async function startOutboxThread(data: OutboxThreadData, o: { logger: Logger; onAttempt: (e: CountedAttempt) => void }): Promise<OutboxThread> {
  let stopping = false;
  let current: Worker;
  let stopped: (() => void) | undefined;
  let alive = false;
  let restarts = 0;
  let nextReadyId = 1;
  const readyWaiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const failReadyWaiters = (why: string) => {
    for (const w of readyWaiters.values()) w.reject(new DeliveryError(`outbox thread ${why}`, { retryable: true }));
    readyWaiters.clear();
  };

  const launch = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const w = startModuleThread(import.meta.url, "./outbox-thread", data, outboxThreadLimits(data.config));
      current = w;
      let started = false;
      const timer = setTimeout(() => { void w.terminate(); reject(new Error("outbox thread did not start in time")); }, START_TIMEOUT_MS);
      w.on("message", (m: FromOutboxThread) => {
        if (m.type === "attempts") for (const e of m.events) o.onAttempt(e);
        else if (m.type === "started") {
          started = true;
          alive = true;
          clearTimeout(timer);
          if (stopping) w.postMessage({ type: "stop" }); // a restart that finished after stop() began: drain it too
          resolve();
        }
        else if (m.type === "failed") { clearTimeout(timer); reject(new Error(`outbox thread failed to start: ${m.message}`)); void w.terminate(); }
        else if (m.type === "stopped") stopped?.();
        else if (m.type === "routing") {
          const waiter = readyWaiters.get(m.id);
          readyWaiters.delete(m.id);
          if (m.error) waiter?.reject(new Error(m.error));
          else waiter?.resolve();
        }
        else if (m.type === "ready") {
          const waiter = readyWaiters.get(m.id);
          readyWaiters.delete(m.id);
          if (m.error) waiter?.reject(fromWireError(m.error));
          else waiter?.resolve();
        }
      });
      w.on("error", (e) => o.logger.error({ err: e }, "outbox thread crashed"));
      w.on("exit", (code) => {
        alive = false;
        failReadyWaiters(`exited (code ${code})`);
        clearTimeout(timer);
        if (!started) { reject(new Error(`outbox thread exited (code ${code}) before starting`)); return; }
        if (stopping) { stopped?.(); return; }
        o.logger.error({ code, restartInMs: RESTART_DELAY_MS }, "outbox thread exited; starting it again");
        relaunchLater();
      });
    });

  const relaunchLater = (): void => {
    setTimeout(() => {
      if (stopping) return;
      launch().then(() => {
        restarts++;
      }, (e: unknown) => {
        o.logger.error({ err: e, restartInMs: RESTART_DELAY_MS }, "outbox thread restart failed; trying again");
        relaunchLater();
      });
    }, RESTART_DELAY_MS).unref();
  };

  await launch();
  return {
    get restarts() {
      return restarts;
    },
    async crash() {
      await current.terminate();
    },
    checkReady(destination?: string) {
      if (!alive) return Promise.reject(new DeliveryError("outbox thread is not running (restarting)", { retryable: true }));
      const id = nextReadyId++;
      return new Promise<void>((resolve, reject) => {
        readyWaiters.set(id, { resolve, reject });
        current.postMessage({ type: "ready", id, ...(destination ? { destination } : {}) });
      });
    },
    applyRouting(table) {
      if (!alive) return Promise.reject(new Error("outbox thread is not running (restarting); reload again once it is"));
      const id = nextReadyId++;
      return new Promise<void>((resolve, reject) => {
        readyWaiters.set(id, { resolve, reject });
        current.postMessage({ type: "routing", id, table });
      }).then(() => {
        data = { ...data, config: { ...data.config, routing: table } }; // a restarted thread starts with it
      });
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (!alive) return; // crashed and not yet restarted: nothing to drain
      const done = new Promise<void>((resolve) => (stopped = resolve));
      current.postMessage({ type: "stop" });
      await done;
      await current.terminate();
    },
  };
}
