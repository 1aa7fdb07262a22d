import type Database from "better-sqlite3";
import { prepareCached } from "./statement-cache.js";

interface Pending {
  run: () => unknown;
  /** More than one statement: wrapped in a savepoint so it is undone as a whole. */
  savepoint: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /** The connection's busy_timeout, restored after each non-blocking attempt. Default 5000. */
  busyTimeoutMs?: number;
  /** How long queued writes wait for another connection's write lock before failing. Default 5000. */
  lockWaitMs?: number;
  now?: () => number;
  /**
   * How long the first write of a batch waits for others to join it before the commit, in ms.
   * 0: the next turn of the event loop (setImmediate).
   */
  commitDelayMs?: number;
}

const isBusy = (e: unknown): boolean => (e as { code?: string } | null)?.code === "SQLITE_BUSY";

/**
 * Group commit: writes submitted in the same turn of the event loop run in one IMMEDIATE
 * transaction, each inside its own savepoint (one failing write rolls back only itself), and
 * every promise settles only after the shared COMMIT. A commit costs far more than the statements
 * in it, so under load this divides the cost per accept or per delivery outcome several times,
 * without weakening anything: nobody hears "done" before the data is committed.
 *
 * The write lock is taken without waiting: when another connection (the outbox thread, another
 * process) holds it, SQLite's busy handler would put this whole event loop to sleep for
 * 1, 2, 5, 10… ms. Instead the batch is retried a millisecond later, the loop keeps serving,
 * and writes arriving meanwhile join the batch.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private waitingSince: number | undefined;
  private readonly maxBatch: number;
  private readonly busyTimeoutMs: number;
  private readonly lockWaitMs: number;
  private readonly now: () => number;
  private readonly commitDelayMs: number;

  constructor(private readonly db: Database.Database, o: GroupCommitOptions = {}) {
    this.maxBatch = o.maxBatch ?? 256;
    this.busyTimeoutMs = o.busyTimeoutMs ?? 5000;
    this.lockWaitMs = o.lockWaitMs ?? 5000;
    this.now = o.now ?? Date.now;
    this.commitDelayMs = o.commitDelayMs ?? 0;
  }

  submit<T>(run: () => T): Promise<T> {
    return this.enqueue(run, true);
  }

  /**
   * A write that is a single statement (a delivery's outcome): SQLite undoes a failing statement
   * by itself and the transaction carries on, so it needs no savepoint, which would cost two more
   * statements per write.
   */
  submitStatement<T>(run: () => T): Promise<T> {
    return this.enqueue(run, false);
  }

  private enqueue<T>(run: () => T, savepoint: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, savepoint, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.commitDelayMs > 0) setTimeout(() => this.flush(false), this.commitDelayMs);
        else setImmediate(() => this.flush(false));
      }
    });
  }

  /** Commits whatever is queued now, waiting for the lock if need be (used before closing). */
  flushNow(): void {
    this.flush(true);
  }

  private flush(blocking: boolean): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const began = this.begin(blocking);
      if (began === "busy") return this.retryLater();
      if (began !== "ok") {
        for (const item of this.queue.splice(0)) item.reject(began.error);
        return;
      }
      this.waitingSince = undefined;
      const items = this.queue.splice(0, this.maxBatch);
      const outcomes: Array<{ ok: boolean; value: unknown }> = [];
      let transactionLost: unknown;
      for (const item of items) {
        const outcome = item.savepoint ? this.runInSavepoint(item.run) : this.runStatement(item.run);
        if (!outcome.ok && !this.db.inTransaction) {
          transactionLost = outcome.value; // the error ended the whole transaction
          break;
        }
        outcomes.push(outcome);
      }
      if (outcomes.length < items.length) {
        // SQLITE_FULL, IOERR, NOMEM… roll back the whole transaction, not only the savepoint: the
        // writes before it are undone too and fail with it; the ones not yet run go in the next one.
        for (const item of items.slice(0, outcomes.length + 1)) item.reject(transactionLost);
        this.queue.unshift(...items.slice(outcomes.length + 1));
        continue;
      }
      try {
        prepareCached(this.db, "COMMIT").run();
      } catch (e) {
        if (this.db.inTransaction) prepareCached(this.db, "ROLLBACK").run();
        for (const item of items) item.reject(e); // the commit itself failed: nothing was written
        continue;
      }
      items.forEach((item, i) => (outcomes[i].ok ? item.resolve(outcomes[i].value) : item.reject(outcomes[i].value)));
    }
  }

  /**
   * One write inside the batch's transaction: its own savepoint, so a failing write undoes only
   * itself. Never throws: a failure of the savepoint statements themselves fails the write.
   */
  private runInSavepoint(run: () => unknown): { ok: boolean; value: unknown } {
    try {
      prepareCached(this.db, "SAVEPOINT item").run();
      const value = run();
      prepareCached(this.db, "RELEASE item").run();
      return { ok: true, value };
    } catch (e) {
      try {
        if (this.db.inTransaction) {
          prepareCached(this.db, "ROLLBACK TO item").run();
          prepareCached(this.db, "RELEASE item").run();
        }
      } catch {
        // the rollback failed too: flush sees whether the transaction survived
      }
      return { ok: false, value: e };
    }
  }

  /** One single-statement write: a failure undoes that statement alone (or, flush sees, the transaction). */
  private runStatement(run: () => unknown): { ok: boolean; value: unknown } {
    try {
      return { ok: true, value: run() };
    } catch (e) {
      return { ok: false, value: e };
    }
  }

  private begin(blocking: boolean): "ok" | "busy" | { error: unknown } {
    try {
      if (!blocking) prepareCached(this.db, "PRAGMA busy_timeout = 0").get();
      try {
        prepareCached(this.db, "BEGIN IMMEDIATE").run();
        return "ok";
      } catch (e) {
        return isBusy(e) && !blocking ? "busy" : { error: e };
      } finally {
        if (!blocking) prepareCached(this.db, `PRAGMA busy_timeout = ${this.busyTimeoutMs}`).get();
      }
    } catch (e) {
      return { error: e }; // the connection is closed (or worse): fail the writes, never the process
    }
  }

  private retryLater(): void {
    const t = this.now();
    this.waitingSince ??= t;
    if (t - this.waitingSince >= this.lockWaitMs) {
      this.waitingSince = undefined;
      const error = new Error(`SQLite write lock held by another connection for over ${this.lockWaitMs} ms`);
      for (const item of this.queue.splice(0)) item.reject(Object.assign(error, { code: "SQLITE_BUSY" }));
      return;
    }
    this.scheduled = true;
    setTimeout(() => this.flush(false), 1);
  }
}
