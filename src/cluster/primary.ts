import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { startBridge, type RunningBridge } from "../bridge.js";
import type { Config } from "../config.js";
import { answerMetricsRequests } from "./merged-metrics.js";
import { serveClusterRateLimits } from "./rate-limits.js";
import { isClusterMessage } from "./messages.js";

/** How long the API processes get to start listening. */
const START_DEADLINE_MS = 30_000;
/** A process that dies sooner than this after its start counts as crash-looping: its replacement waits. */
const HEALTHY_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface RunningCluster {
  url: string;
  emulatorUrl?: string;
  connectionString?: string;
  logger: Logger;
  /** Graceful: each API process drains its requests, then the outbox, the store and the emulator stop. */
  shutdown(): Promise<void>;
}

/**
 * V8 flags of an API process. A small young generation: an API process's minor GCs then pause it
 * for 2–3 ms instead of 6–8 ms, which is most of its accept p99 (measured at 1,000 accepts/s:
 * p99 9–16 ms instead of 13–27 ms, at no measurable cost in throughput, and ~25 MB less resident
 * per process). The primary keeps V8's defaults: its outbox thread promotes more and pays for a
 * small young generation in CPU. A --max-semi-space-size given to node itself is kept.
 */
export function apiProcessExecArgv(execArgv: readonly string[]): string[] {
  return execArgv.some((a) => a.startsWith("--max-semi-space-size")) ? [...execArgv] : [...execArgv, "--max-semi-space-size=4"];
}

/** The environment of an API process: it accepts; the primary delivers and runs the embedded emulator. */
function apiProcessEnv(c: Config, core: RunningBridge): Record<string, string> {
  // BRIDGE_API_PROCESS marks a fork of ours: under another node:cluster supervisor (pm2, say) a
  // worker is a whole bridge, not one of our API processes.
  const env: Record<string, string> = { API_PROCESSES: "1", BRIDGE_API_PROCESS: "true" };
  // BRIDGE_ROLE=all (config checks it): the primary runs the outbox, its API processes only accept.
  if (c.BRIDGE_STRATEGY === "hubs" && c.DELIVERY_MODE === "outbox") env.BRIDGE_ROLE = "api";
  if (core.connectionString) env.NOTIFICATIONHUBS_CONNECTION_STRING = core.connectionString;
  return env;
}

/**
 * API_PROCESSES > 1: this process (the cluster primary) opens the store and applies its migrations,
 * runs the outbox and the embedded emulator, and forks API_PROCESSES processes that share the port
 * (node:cluster hands them connections in turn). A process that dies is replaced. See
 * docs/designs/2026-11-api-processes.md.
 */
export async function startClusterPrimary(c: Config): Promise<RunningCluster> {
  const core = await startBridge(c, { serveHttp: false });
  const { logger } = core;
  const stopRateLimits = serveClusterRateLimits();
  const stopReadiness = answerHubReadiness(core.checkStrategyReady);
  const live = new Map<number, { worker: Worker; startedAt: number }>();
  const stopMerging = answerMetricsRequests(core.metrics, () => [...live.values()].map((p) => p.worker));
  const env = apiProcessEnv(c, core);
  let stopping = false;
  let restartDelayMs = 0;

  cluster.setupPrimary({ execArgv: apiProcessExecArgv(process.execArgv) });
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    live.set(worker.id, { worker, startedAt: Date.now() });
    core.metrics.apiProcesses.set(live.size);
    // A message to a process that has just died fails asynchronously (EPIPE, ERR_IPC_CHANNEL_CLOSED);
    // unhandled, that 'error' would take the primary, and with it every API process, down.
    worker.on("error", (err) => logger.warn({ apiProcess: worker.id, err }, "message to an API process failed"));
    return worker;
  };
  cluster.on("exit", (worker, code, signal) => {
    const entry = live.get(worker.id);
    live.delete(worker.id);
    core.metrics.apiProcesses.set(live.size);
    if (stopping || !entry) return;
    core.metrics.apiProcessRestarts.inc();
    const ranMs = Date.now() - entry.startedAt;
    restartDelayMs = ranMs >= HEALTHY_AFTER_MS ? 0 : Math.min(MAX_RESTART_DELAY_MS, Math.max(250, restartDelayMs * 2));
    logger.error({ apiProcess: worker.id, pid: worker.process.pid, code, signal, restartInMs: restartDelayMs }, "API process exited; starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, restartDelayMs).unref();
  });

  let port: number;
  try {
    port = await startAll(c.API_PROCESSES, fork, () => (stopping = true));
  } catch (e) {
    for (const { worker } of live.values()) worker.process.kill("SIGKILL");
    await core.shutdown();
    throw e;
  }
  const host = c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;

  let shuttingDown: Promise<void> | undefined;
  const shutdown = () =>
    (shuttingDown ??= (async () => {
      stopping = true;
      const exits = await stopAll([...live.values()].map((p) => p.worker), c.SHUTDOWN_TIMEOUT_MS - 1000, logger);
      stopMerging();
      stopRateLimits();
      stopReadiness();
      await core.shutdown();
      // Ended by SIGTERM itself: a process still starting (a replacement) has no handler yet and served nothing.
      const failed = exits.filter((e) => e.code !== 0 && e.signal !== "SIGTERM").length;
      if (failed) throw new Error(`${failed} API process(es) did not shut down cleanly`);
    })());

  return {
    url: `http://${host}:${port}`,
    emulatorUrl: core.emulatorUrl,
    connectionString: core.connectionString,
    logger,
    shutdown,
  };
}

/**
 * Forks n API processes; resolves with the port once every one listens, rejects if one exits first
 * (calling onFailure at once, so the exit is not taken for a crash to recover from).
 */
function startAll(n: number, fork: () => Worker, onFailure: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let listening = 0;
    const timer = setTimeout(() => (onFailure(), reject(new Error(`API processes did not listen within ${START_DEADLINE_MS} ms`))), START_DEADLINE_MS);
    for (let i = 0; i < n; i++) {
      const worker = fork();
      const early = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        onFailure();
        reject(new Error(`an API process exited during start-up (code ${code}, signal ${signal}); its error is logged above`));
      };
      worker.once("exit", early);
      worker.once("listening", (address) => {
        worker.off("exit", early);
        if (++listening === n) {
          clearTimeout(timer);
          resolve(address.port);
        }
      });
    }
  });
}

/** SIGTERM to every API process (each drains as a single bridge does); SIGKILL to any still running after graceMs. */
async function stopAll(workers: Worker[], graceMs: number, logger: Logger): Promise<Array<{ code: number | null; signal: string | null }>> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<{ code: number | null; signal: string | null }>((resolve) => {
          if (w.isDead()) return resolve({ code: w.process.exitCode, signal: w.process.signalCode });
          const timer = setTimeout(() => {
            logger.error({ apiProcess: w.id, graceMs }, "API process still running after the shutdown timeout; killing it");
            w.process.kill("SIGKILL");
          }, Math.max(100, graceMs));
          w.once("exit", (code, signal) => (clearTimeout(timer), resolve({ code, signal })));
          w.process.kill("SIGTERM");
        }),
    ),
  );
}

/** Answers an API process's Notification Hubs readiness question with the primary's own check. */
function answerHubReadiness(check: () => Promise<void>): () => void {
  const onMessage = (from: Worker, m: unknown) => {
    if (!isClusterMessage(m) || m.gnb !== "hub-ready-request") return;
    check().then(
      () => from.isConnected() && from.send({ gnb: "hub-ready-response", id: m.id }, () => undefined),
      (e: unknown) => from.isConnected() && from.send({ gnb: "hub-ready-response", id: m.id, error: e instanceof Error ? e.message : String(e) }, () => undefined),
    );
  };
  cluster.on("message", onMessage);
  return () => cluster.off("message", onMessage);
}
