import type { Logger } from "pino";
import type { StoredRouting } from "../store/store.js";
import { redactRouting } from "./redact-routing.js";
import { RoutingFileError, type ParsedRouting } from "./routing-file.js";
import type { RoutingMetrics } from "./routing-metrics.js";
import type { RoutingTable } from "./types.js";

export interface RoutingStateOptions {
  /** The table read at start-up (config.routing). */
  initial: RoutingTable;
  /** Where it came from (ROUTING_FILE), for display. */
  source: string;
  /** Reads and checks the file again (config.ts's loadRoutingFile with the environment). */
  load: () => ParsedRouting;
  /** Puts a new table in force outside this object (hubs built, the outbox thread told); throwing refuses it. */
  apply: (table: RoutingTable) => Promise<void>;
  now: () => Date;
  logger: Logger;
  metrics?: RoutingMetrics;
}

export type ReloadResult = { applied: true; loadedAt: Date } | { applied: false; problems: string[] };

type Counts = Record<string, Record<string, number>>;

/**
 * The routing in force: the table new notifications are routed by, when it was loaded, how many
 * notifications each route and destination took, and reload (SIGHUP, POST /bridge/routing/reload).
 * A reload that fails (unreadable, invalid, a hub that cannot be built) changes nothing.
 */
export class RoutingState {
  private table: RoutingTable;
  private loadedAt: Date;
  private readonly startedAt: Date;
  private readonly byRoute: Counts = {};
  private readonly byDestination: Counts = {};
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RoutingStateOptions) {
    this.table = o.initial;
    this.loadedAt = this.startedAt = o.now();
    o.metrics?.loadedAt.set(this.loadedAt.getTime() / 1000);
  }

  current = (): RoutingTable => this.table;

  /** Counts one routing decision (and its shadow copy). */
  count(d: StoredRouting): void {
    bump(this.byRoute, d.route, d.destination);
    bump(this.byDestination, d.destination, "main");
    if (d.shadow) bump(this.byDestination, d.shadow, "shadow");
  }

  /** Reloads run one at a time, in the order asked. */
  reload(trigger: string): Promise<ReloadResult> {
    const run = this.queue.then(() => this.reloadNow(trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(trigger: string): Promise<ReloadResult> {
    const { logger, metrics } = this.o;
    try {
      const { table, warnings } = this.o.load();
      await this.o.apply(table);
      this.table = table;
      this.loadedAt = this.o.now();
      metrics?.reloads.inc({ result: "applied" });
      metrics?.loadedAt.set(this.loadedAt.getTime() / 1000);
      for (const w of warnings) logger.warn({ file: this.o.source }, `routing file: ${w}`);
      logger.info({ trigger, file: this.o.source, routing: redactRouting(table) }, "routing reloaded");
      return { applied: true, loadedAt: this.loadedAt };
    } catch (e) {
      const problems = e instanceof RoutingFileError ? e.problems : [e instanceof Error ? e.message : String(e)];
      metrics?.reloads.inc({ result: "refused" });
      logger.error({ trigger, file: this.o.source, problems }, "routing reload refused; the previous routing stays in force");
      return { applied: false, problems };
    }
  }

  /** GET /bridge/routing: the routing in force, secrets redacted, with its counts. */
  view() {
    return {
      file: this.o.source,
      loadedAt: this.loadedAt.toISOString(),
      ...redactRouting(this.table),
      counts: { since: this.startedAt.toISOString(), routes: this.byRoute, destinations: this.byDestination },
    };
  }
}

function bump(counts: Counts, key: string, sub: string): void {
  const row = (counts[key] ??= {});
  row[sub] = (row[sub] ?? 0) + 1;
}
