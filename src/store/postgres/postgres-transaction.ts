import type pg from "pg";

/**
 * Checks a client out of the pool with an 'error' listener attached for as long as it is out.
 * pg-pool listens only on idle clients: a checked-out client whose connection the server ends
 * (a restart: 57P01, "Connection terminated unexpectedly") between two queries would otherwise
 * emit an unhandled 'error' and end the process. The error is kept and the broken client is
 * released with it, so the pool destroys it instead of handing it out again.
 */
export async function withClient<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => {
    broken ??= e;
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/** The result of a query's last statement (a simple query of several statements answers one result each). */
export const lastResult = (r: pg.QueryResult | pg.QueryResult[]): pg.QueryResult => (Array.isArray(r) ? r[r.length - 1] : r);

/**
 * Runs `fn` inside BEGIN/COMMIT on one pooled client; rolls back on any error. `begin` may add
 * parameter-free statements to the BEGIN round trip (e.g. taking an advisory lock, a look-up);
 * `fn` gets the rows of its last statement. A transaction with no writes left for its COMMIT's round trip.
 */
export function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient, began: Array<Record<string, unknown>>) => Promise<T>, begin = "BEGIN"): Promise<T> {
  return withTransactionEndingInWrites(pool, begin, async (c, began) => {
    const result = await fn(c, began);
    return { statements: [], finish: () => result };
  });
}

/** What a transaction's last round trip carries: its writes, then the COMMIT. */
export interface FinalWrites<T> {
  /** Statements run in order before the COMMIT. */
  statements: pg.QueryConfig[];
  /** The result, from the rows of each statement (in the order given). */
  finish: (rows: Array<Array<Record<string, unknown>>>) => T;
}

/**
 * Like withTransaction, but the writes travel with the COMMIT: BEGIN (with `begin`'s statements),
 * whatever `plan` reads, then the writes and the COMMIT written together without waiting for each
 * other's answers (the pool's clients pipeline). Each round trip of a transaction waits for a turn
 * of the bridge's event loop while the session holds its locks; this makes the writes and the
 * commit one. A failing write leaves the transaction aborted, so the COMMIT behind it rolls back
 * (PostgreSQL answers it with ROLLBACK), and the write's error is what the caller gets.
 */
export async function withTransactionEndingInWrites<T>(pool: pg.Pool, begin: string, plan: (c: pg.PoolClient, began: Array<Record<string, unknown>>) => Promise<FinalWrites<T>>): Promise<T> {
  const { writes, results } = await withClient(pool, async (client) => {
    try {
      const writes = await plan(client, lastResult((await client.query(begin)) as pg.QueryResult | pg.QueryResult[]).rows);
      const results = await Promise.all(inOneWrite(client, () => [...writes.statements, "COMMIT"].map((q) => client.query(q as pg.QueryConfig))));
      const commit = results[results.length - 1];
      if (commit.command !== "COMMIT") throw new Error(`PostgreSQL answered the transaction's COMMIT with ${commit.command}`);
      return { writes, results: results.slice(0, -1) };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  });
  return writes.finish(results.map((r) => r.rows));
}

/**
 * What `send` writes to the connection leaves in one write (the socket corked meanwhile, as
 * node-postgres does for the messages of one query): one system call instead of one per query.
 */
function inOneWrite<T>(client: pg.PoolClient, send: () => T): T {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}
