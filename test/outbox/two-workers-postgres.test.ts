import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { aDeliveryInput, anAcceptInput, T0 } from "../store/fixtures.js";
import { dropSchema, isPostgresReachable, PG_URL, runAdminSql, uniqueSchemaName } from "../store/pg-test-db.js";

const reachable = await isPostgresReachable();
const schema = uniqueSchemaName();
const CHILD = fileURLToPath(new URL("./fixtures/worker-process.ts", import.meta.url));
afterAll(async () => {
  if (reachable) await dropSchema(schema);
});

function startWorker(owner: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, PG_URL, SCHEMA: schema, OWNER: owner },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${owner} exited with ${code} before it was ready`)));
  });
  return { child, ready, output: () => out };
}

describe.skipIf(!reachable)("two outbox worker processes on one PostgreSQL database", () => {
  it("send each of 300 deliveries exactly once between them", { timeout: 60_000 }, async () => {
    const store = new PostgresStore({ connectionString: PG_URL, schema });
    await store.migrate();
    await runAdminSql(`CREATE TABLE ${schema}.sent_log (delivery_id TEXT NOT NULL, owner TEXT NOT NULL)`);
    for (let n = 0; n < 60; n++) {
      const deliveries = Array.from({ length: 5 }, () => aDeliveryInput({ dueAt: T0 }));
      await store.acceptNotification({ ...anAcceptInput({ deliveries, notification: { expiresAt: new Date("2999-01-01") } }), now: T0 });
    }
    const workers = [startWorker("worker-a"), startWorker("worker-b")];
    await Promise.all(workers.map((w) => w.ready));
    const exits = workers.map((w) => once(w.child, "exit"));
    for (const w of workers) w.child.stdin!.write("go\n");
    const codes = (await Promise.all(exits)).map(([code]) => code);
    expect(codes).toEqual([0, 0]);

    const perDelivery = await runAdminSql(`SELECT delivery_id, COUNT(*)::int AS n FROM ${schema}.sent_log GROUP BY delivery_id`);
    expect(perDelivery.rows).toHaveLength(300);
    expect(perDelivery.rows.every((r) => r.n === 1)).toBe(true);
    const perOwner = await runAdminSql(`SELECT owner, COUNT(*)::int AS n FROM ${schema}.sent_log GROUP BY owner ORDER BY owner`);
    expect(perOwner.rows.map((r) => r.owner)).toEqual(["worker-a", "worker-b"]); // both really took part
    const stats = await store.outboxStats(new Date());
    expect(stats).toMatchObject({ pending: 0, deadLettered: 0 });
    expect(await store.listDeliveries({ state: "sent", limit: 1000 })).toHaveLength(300);
    console.log(`two-process split: ${perOwner.rows.map((r) => `${r.owner}=${r.n}`).join(", ")}`);
    await store.close();
  });
});
