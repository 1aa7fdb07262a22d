import type pg from "pg";

/**
 * Runs `fn` inside BEGIN/COMMIT on one pooled client; rolls back on any error. `begin` may add
 * parameter-free statements to the BEGIN round trip (e.g. taking an advisory lock).
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
