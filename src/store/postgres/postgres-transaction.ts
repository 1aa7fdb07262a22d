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

/**
 * Runs `fn` inside BEGIN/COMMIT on one pooled client; rolls back on any error. `begin` may add
 * parameter-free statements to the BEGIN round trip (e.g. taking an advisory lock, a look-up);
 * `fn` gets the rows of its last statement.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient, began: Array<Record<string, unknown>>) => Promise<T>, begin = "BEGIN"): Promise<T> {
  return withClient(pool, async (client) => {
    try {
      const began = (await client.query(begin)) as pg.QueryResult | pg.QueryResult[];
      const result = await fn(client, (Array.isArray(began) ? began[began.length - 1] : began).rows);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  });
}
