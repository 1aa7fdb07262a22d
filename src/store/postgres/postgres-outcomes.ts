import type pg from "pg";

/** SQL types of the columns an outcome may set (json_to_recordset needs them spelled out). */
const COLUMN_TYPES: Record<string, string> = {
  state: "text", sent_at: "bigint", hub_notification_id: "text", tracking_id: "text", correlation_id: "text",
  last_error: "text", last_status: "integer", next_attempt_at: "bigint",
};

const COLUMN_NAMES = Object.keys(COLUMN_TYPES);

interface Outcome {
  id: string;
  owner: string;
  nowMs: number;
  set: Record<string, unknown>;
  resolve: (applied: boolean) => void;
  reject: (e: unknown) => void;
}

/**
 * Delivery outcomes (sent, retry, final) submitted in the same turn of the event loop are written by
 * one UPDATE ... FROM (VALUES ...) per kind of outcome instead of one statement and one commit
 * each. As before, a row is changed only while `owner` still holds its claim; each caller learns
 * whether its row was.
 */
export class PostgresOutcomeWriter {
  private queue: Outcome[] = [];
  private scheduled = false;

  constructor(private readonly pool: pg.Pool, private readonly unfinished: string) {}

  write(id: string, owner: string, nowMs: number, set: Record<string, unknown>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id, owner, nowMs, set, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const groups = new Map<string, Outcome[]>();
    for (const o of this.queue.splice(0)) {
      const key = Object.keys(o.set).join(",");
      const group = groups.get(key);
      if (group) group.push(o);
      else groups.set(key, [o]);
    }
    await Promise.all([...groups.values()].map((g) => this.writeGroup(g)));
  }

  private async writeGroup(group: Outcome[]): Promise<void> {
    const keys = Object.keys(group[0].set);
    const rows = group.map((o) => ({ id: o.id, owner: o.owner, now_ms: o.nowMs, ...o.set }));
    try {
      // The group's rows as one JSON parameter: a statement per kind of outcome, prepared once per
      // connection, instead of a VALUES list of 3 + keys parameters per row parsed and planned for
      // every group.
      const result = await this.pool.query({
        name: `gnb-outcome-${keys.map((k) => COLUMN_NAMES.indexOf(k)).join(".")}`, // within PostgreSQL's 63 characters
        text: `UPDATE deliveries d SET ${keys.map((k) => `${k} = v.${k}`).join(", ")},
           lease_owner = NULL, lease_expires_at = NULL, updated_at = v.now_ms
         FROM json_to_recordset($1::json) AS v (id text, owner text, now_ms bigint, ${keys.map((k) => `${k} ${COLUMN_TYPES[k]}`).join(", ")})
         WHERE d.id = v.id AND d.lease_owner = v.owner AND d.${this.unfinished}
         RETURNING d.id`,
        values: [JSON.stringify(rows)],
      });
      const applied = new Set(result.rows.map((r: { id: string }) => r.id));
      for (const o of group) o.resolve(applied.has(o.id));
    } catch (e) {
      for (const o of group) o.reject(e);
    }
  }
}
