import type pg from "pg";
import type { AcceptInput, AcceptOutcome } from "../store.js";
import { acceptBatchInPostgres, lookUpStatement, type BatchResult } from "./postgres-accept-batch.js";
import { beginWithAcceptLocks } from "./postgres-accept-locks.js";
import { withTransactionEndingInWrites } from "./postgres-transaction.js";

interface Waiting {
  input: AcceptInput;
  nowMs: number;
  resolve: (o: AcceptOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for PostgreSQL accepts. Up to `maxInFlight` accept transactions run at once; the
 * accepts that arrive while they do wait and then go together, up to `maxBatch` in one
 * transaction (a handful of round trips and one commit for all of them). Light load: one accept
 * per transaction, no added wait. Heavy load: batches grow instead of queues.
 * A batch that fails as a whole (a lost connection, a serialization surprise) is retried one
 * accept at a time, so one bad accept never takes others down with it.
 */
export class PostgresAcceptBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly pool: pg.Pool, private readonly o: { maxInFlight: number; maxBatch: number }) {}

  submit(input: AcceptInput, nowMs: number): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, nowMs, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.o.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.o.maxInFlight) {
        const batch = this.queue.splice(0, this.o.maxBatch);
        this.inFlight++;
        void this.run(batch).finally(() => {
          this.inFlight--;
          this.schedule();
        });
      }
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    let results: BatchResult[];
    try {
      results = await this.transaction(batch);
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
      for (const w of batch) {
        try {
          const [one] = await this.transaction([w]);
          settle(w, one);
        } catch (err) {
          w.reject(err);
        }
      }
      return;
    }
    batch.forEach((w, i) => settle(w, results[i]));
  }

  /** BEGIN, the batch's advisory locks and its look-up in one round trip; then the writes and the COMMIT in another. */
  private transaction(batch: Waiting[]): Promise<BatchResult[]> {
    const lookUp = lookUpStatement(batch.map((w) => w.input), Math.min(...batch.map((w) => w.nowMs)));
    const begin = beginWithAcceptLocks(batch.map((w) => w.input.notification.unsId));
    return withTransactionEndingInWrites(this.pool, lookUp === undefined ? begin : `${begin}; ${lookUp}`, (c, began) => acceptBatchInPostgres(c, batch, lookUp === undefined ? undefined : began));
  }
}

function settle(w: Waiting, r: BatchResult): void {
  if (r.ok) w.resolve(r.outcome);
  else w.reject(r.error);
}
