import { isStoreUnavailable, StoreUnavailableError } from "./store-unavailable.js";

export interface StoreHealthOptions {
  /** A small real write (Store.probeWrite): resolves once the store can write again. */
  probe: () => Promise<void>;
  now?: () => number;
  /** While down, probes run at most this often; checks in between fail at once. Default 1000. */
  probeIntervalMs?: number;
  /** Called when the store goes down or comes back (for a log line). */
  onChange?: (change: { available: boolean; reason: string; downForMs?: number }) => void;
}

/**
 * What one process (or thread) knows of its store: up until an operation fails with a
 * store-unavailable error (isStoreUnavailable), then down until a probe write succeeds. A read
 * that succeeds does not bring it back: a full disk still answers SELECT 1.
 */
export class StoreHealth {
  private downSince: number | undefined;
  private reason = "";
  private lastProbeAt = -Infinity;
  private probing: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly probeIntervalMs: number;

  constructor(private readonly o: StoreHealthOptions) {
    this.now = o.now ?? Date.now;
    this.probeIntervalMs = o.probeIntervalMs ?? 1000;
  }

  get available(): boolean {
    return this.downSince === undefined;
  }

  /** Looks at a failed store operation; only store-unavailable errors take the store down. */
  report(e: unknown): void {
    if (!isStoreUnavailable(e)) return;
    this.reason = e instanceof Error ? e.message : String(e);
    if (this.downSince !== undefined) return;
    this.downSince = this.now();
    this.lastProbeAt = this.now(); // the failure itself was the latest probe
    this.o.onChange?.({ available: false, reason: this.reason });
  }

  /** Resolves while the store is up; while down, probes (rate-limited) and rejects until a probe succeeds. */
  async check(): Promise<void> {
    if (this.downSince === undefined) return;
    if (this.probing) return this.probing;
    if (this.now() - this.lastProbeAt < this.probeIntervalMs) throw this.unavailableError();
    this.lastProbeAt = this.now();
    this.probing = this.o.probe().then(
      () => this.recovered(),
      (e: unknown) => {
        this.reason = e instanceof Error ? e.message : String(e);
        throw this.unavailableError(e);
      },
    ).finally(() => (this.probing = undefined));
    return this.probing;
  }

  private recovered(): void {
    if (this.downSince === undefined) return;
    const downForMs = this.now() - this.downSince;
    this.downSince = undefined;
    this.o.onChange?.({ available: true, reason: this.reason, downForMs });
  }

  private unavailableError(cause?: unknown): StoreUnavailableError {
    const since = this.downSince === undefined ? 0 : this.now() - this.downSince;
    return new StoreUnavailableError(`store unavailable for ${since} ms: ${this.reason}`, { cause });
  }
}

/**
 * The same store, with every failed call reported to `health` (so a full disk seen by an accept
 * takes readiness down and pauses the outbox). Calls still go through while the store is down and
 * callers get the real error, except the `waitWhileDown` methods: while down, those first wait for
 * health.check() (a rate-limited probe, failing fast in between). Accepts are such writes: under
 * load they would otherwise take every byte an operator frees for new WAL frames before the probe
 * can checkpoint the WAL and write, and the store would stay down although space was freed.
 */
export function watchStore<T extends object>(store: T, health: StoreHealth, o: { waitWhileDown?: readonly (keyof T & string)[] } = {}): T {
  const gated = new Set<PropertyKey>(o.waitWhileDown ?? []);
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      const call = (args: unknown[]): unknown => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) return result.catch((e: unknown) => { health.report(e); throw e; });
        return result;
      };
      if (!gated.has(key)) return (...args: unknown[]) => call(args);
      return (...args: unknown[]) => (health.available ? call(args) : health.check().then(() => call(args)));
    },
  });
}
