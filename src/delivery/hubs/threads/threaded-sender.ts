import type { Worker } from "node:worker_threads";
import { DeliveryError } from "../../../errors.js";
import { startModuleThread } from "../../../threads/module-thread.js";
import type { NativeSend } from "../../native-send.js";
import type { HubSender, SendReceipt } from "../hub-sender.js";
import { fromWireError, type SenderReply, type SenderRequest, type SenderThreadData } from "./protocol.js";

export interface ThreadedHubSender extends HubSender {
  /** Stops every thread; sends still in flight fail as retryable. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (r: SendReceipt | undefined) => void;
  reject: (e: DeliveryError) => void;
}

interface SenderThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * A HubSender whose sends run on `threads` worker threads, each with its own SDK client. Sends go
 * to the thread with the fewest in flight. A thread that dies fails its in-flight sends as
 * retryable (the outbox sends them again) and is replaced on the next send.
 */
export function createThreadedHubSender(data: SenderThreadData, threads: number): ThreadedHubSender {
  if (threads < 1) throw new Error("threads must be at least 1");
  const pool: Array<SenderThread | undefined> = Array.from({ length: threads }, () => undefined);
  let nextId = 1;
  let closed = false;

  const failAll = (t: SenderThread, why: string) => {
    for (const p of t.pending.values()) p.reject(new DeliveryError(`Notification Hubs sender thread stopped (${why}); nothing is known about this send`, { retryable: true }));
    t.pending.clear();
  };

  const spawn = (slot: number): SenderThread => {
    const worker = startModuleThread(import.meta.url, "./sender-thread", data);
    const t: SenderThread = { worker, pending: new Map() };
    worker.unref(); // idle threads never hold the process open; ref'd while sends are in flight
    worker.on("message", (r: SenderReply) => {
      const p = t.pending.get(r.id);
      if (!p) return;
      t.pending.delete(r.id);
      if (t.pending.size === 0) worker.unref();
      if (r.ok) p.resolve(r.receipt);
      else p.reject(fromWireError(r.error));
    });
    const gone = (why: string) => {
      if (pool[slot] === t) pool[slot] = undefined;
      failAll(t, why);
    };
    worker.on("error", (e) => gone(e.message));
    worker.on("exit", (code) => gone(`exit code ${code}`));
    pool[slot] = t;
    return t;
  };

  const pick = (): SenderThread => {
    let best: SenderThread | undefined;
    for (let i = 0; i < pool.length; i++) {
      const t = pool[i] ?? spawn(i);
      if (!best || t.pending.size < best.pending.size) best = t;
    }
    return best!;
  };

  const call = (req: { kind: "send"; send: NativeSend; tagExpression?: string } | { kind: "ready" }): Promise<SendReceipt | undefined> => {
    if (closed) return Promise.reject(new DeliveryError("Notification Hubs sender is closed", { retryable: true }));
    const t = pick();
    const id = nextId++;
    return new Promise<SendReceipt | undefined>((resolve, reject) => {
      if (t.pending.size === 0) t.worker.ref();
      t.pending.set(id, { resolve, reject });
      t.worker.postMessage({ ...req, id } as SenderRequest);
    });
  };

  return {
    async send(send, o) {
      return (await call({ kind: "send", send, tagExpression: o?.tagExpression })) ?? {};
    },
    async checkReady() {
      await call({ kind: "ready" });
    },
    async close() {
      closed = true;
      await Promise.all(pool.map(async (t) => {
        if (!t) return;
        await t.worker.terminate();
        failAll(t, "closed");
      }));
    },
  };
}
