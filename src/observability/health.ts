import { Router } from "express";
import { redactSecrets } from "./redact-secrets.js";

export interface ReadinessCheck {
  /** Key in the /readyz body, e.g. 'store' or 'notification-hubs'. */
  name: string;
  /** Resolves when the dependency is usable; rejects (or exceeds the timeout) when it is not. */
  check: () => Promise<void>;
  /** Shown in /readyz but not deciding it (a shadow hub: its failure must not turn traffic away). */
  advisory?: boolean;
}

export interface HealthRouterOptions {
  /** A list, or a function for checks that change at run time (the destinations of a reloaded routing file). */
  checks: ReadinessCheck[] | (() => ReadinessCheck[]);
  /** Per-check limit. Default 2000 ms, below the usual 5 s probe timeout. */
  timeoutMs?: number;
}

export type HealthRouter = Router & {
  /** From now on /readyz answers 503 so load balancers stop sending traffic during shutdown. */
  markShuttingDown(): void;
};

const MAX_REASON_LENGTH = 200;

/**
 * GET /healthz: liveness, 200 while the process can answer HTTP at all (never checks dependencies,
 * so a store outage does not get the process restarted).
 * GET /readyz: readiness, runs every check in parallel, each bounded by the timeout.
 */
export function createHealthRouter(o: HealthRouterOptions): HealthRouter {
  const timeoutMs = o.timeoutMs ?? 2000;
  let shuttingDown = false;
  const router = Router();

  router.get("/healthz", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "ok" });
  });

  router.get("/readyz", async (_req, res) => {
    res.set("cache-control", "no-store");
    if (shuttingDown) {
      res.status(503).json({ status: "not-ready", reason: "shutting down", checks: {} });
      return;
    }
    const list = typeof o.checks === "function" ? o.checks() : o.checks;
    const results = await Promise.all(list.map((c) => runCheck(c, timeoutMs)));
    const checks = Object.fromEntries(results);
    const ready = results.every(([, outcome], i) => outcome === "ok" || list[i].advisory);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not-ready", checks });
  });

  return Object.assign(router, {
    markShuttingDown: () => {
      shuttingDown = true;
    },
  });
}

async function runCheck(c: ReadinessCheck, timeoutMs: number): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  const checked = Promise.resolve()
    .then(c.check)
    .then(
      () => "ok",
      (err: unknown) => describeFailure(err),
    );
  try {
    return [c.name, await Promise.race([checked, timedOut])];
  } finally {
    clearTimeout(timer);
  }
}

// Reasons are shown to whoever can reach /readyz: strip secrets and keep them short.
function describeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = redactSecrets(message || "failed");
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}
