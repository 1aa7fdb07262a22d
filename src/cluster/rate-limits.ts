import cluster, { type Worker } from "node:cluster";
import { MemoryStore, type IncrementResponse, type Options, type Store } from "express-rate-limit";
import { askPrimary } from "./ask-primary.js";
import { isClusterMessage, type ClusterMessage } from "./messages.js";

/** How long an API process waits for the primary's count before the limiter lets the request through. */
const ANSWER_WAIT_MS = 1000;

type RateLimitRequest = Extract<ClusterMessage, { gnb: "rate-limit" }>;

/**
 * The primary's side: one express-rate-limit MemoryStore holds every caller's count for the whole
 * cluster. Requests are answered strictly one after another, and each answer copies the count as
 * it was right after its own increment: MemoryStore hands back its live counter object, so
 * answering several concurrent increments from that object would report the last count to all of
 * them (what @express-rate-limit/cluster-memory-store 0.3.1 does: callers refused below their limit).
 */
export function serveClusterRateLimits(): () => void {
  const store = new MemoryStore();
  let initialised = false;
  let queue = Promise.resolve();

  const answer = async (m: RateLimitRequest): Promise<ClusterMessage> => {
    if (m.op === "init") {
      if (!initialised) store.init({ windowMs: m.windowMs } as Options);
      initialised = true;
      return { gnb: "rate-limit-result", id: m.id };
    }
    if (m.op === "increment") {
      const r = await store.increment(m.key);
      return { gnb: "rate-limit-result", id: m.id, totalHits: r.totalHits, resetTimeMs: r.resetTime?.getTime() };
    }
    await (m.op === "decrement" ? store.decrement(m.key) : store.resetKey(m.key));
    return { gnb: "rate-limit-result", id: m.id };
  };
  const onMessage = (from: Worker, m: unknown) => {
    if (!isClusterMessage(m) || m.gnb !== "rate-limit") return;
    queue = queue.then(async () => {
      const reply = await answer(m);
      // A process that died meanwhile cannot take the answer; its 'error' is handled where it was forked.
      if (from.isConnected()) from.send(reply, () => undefined);
    });
  };
  cluster.on("message", onMessage);
  return () => {
    cluster.off("message", onMessage);
    store.shutdown();
  };
}

/** An API process's side: an express-rate-limit Store whose counts live in the primary. */
export class ClusterRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix = "gnb:";

  init(options: Options): void {
    void this.ask({ op: "init", windowMs: options.windowMs }).catch(() => undefined);
  }

  async increment(key: string): Promise<IncrementResponse> {
    const r = await this.ask({ op: "increment", key });
    return { totalHits: r.totalHits ?? 0, resetTime: r.resetTimeMs === undefined ? undefined : new Date(r.resetTimeMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.ask({ op: "decrement", key });
  }

  async resetKey(key: string): Promise<void> {
    await this.ask({ op: "resetKey", key });
  }

  /** Rejects when the primary does not answer in time: the limiter then lets the request through. */
  private async ask(m: { op: "init"; windowMs: number } | { op: "increment" | "decrement" | "resetKey"; key: string }) {
    const reply = await askPrimary({ gnb: "rate-limit", ...m }, ANSWER_WAIT_MS);
    if (reply?.gnb !== "rate-limit-result") throw new Error(`the cluster primary did not answer a rate-limit ${m.op} within ${ANSWER_WAIT_MS} ms`);
    return reply;
  }
}
