import express, { type NextFunction, type Request, type Response } from "express";
import { faultSpecSchema, type FaultRegistry } from "./faults.js";
import type { HubStore } from "./hub-store.js";
import type { Scheduler } from "./scheduler.js";

/**
 * The emulator's own JSON control API, mounted at `/_emulator/api` (no auth: a local dev tool).
 * GET  /hubs                         hubs with counts and faults
 * GET  /hubs/:hub/notifications      send records (state, outcomes, why a payload was refused)
 * GET|PUT|DELETE /hubs/:hub/faults   read, set or clear injected faults
 * DELETE /hubs/:hub                  forget a hub's installations, sends, deliveries, schedules
 * GET  /scheduled, POST /scheduled/run-due
 */
export interface ControlDeps {
  store: HubStore;
  faults: FaultRegistry;
  scheduler: Scheduler;
}

function summarizeHub(deps: ControlDeps, hub: string) {
  const notifications = deps.store.listNotifications(hub);
  return {
    name: hub,
    installations: deps.store.listInstallations(hub).length,
    deliveries: deps.store.listDeliveries({ hub }).length,
    notifications: notifications.length,
    rejectedSends: notifications.filter((n) => n.rejection !== undefined).length,
    scheduled: deps.scheduler.list().filter((e) => e.send.hub === hub).length,
    faults: deps.faults.get(hub) ?? null,
  };
}

export function createControlRouter(deps: ControlDeps): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });

  router.get("/hubs", (_req, res) => {
    res.json({ hubs: deps.store.listHubs().map((hub) => summarizeHub(deps, hub)) });
  });

  router.get("/hubs/:hub/notifications", (req, res) => {
    res.json({ notifications: deps.store.listNotifications(req.params.hub) });
  });

  router.get("/hubs/:hub/faults", (req, res) => {
    res.json({ faults: deps.faults.get(req.params.hub) ?? null });
  });

  router.put("/hubs/:hub/faults", (req, res) => {
    const parsed = faultSpecSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: "InvalidFaults", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } });
      return;
    }
    deps.faults.set(req.params.hub, parsed.data);
    res.json({ faults: parsed.data });
  });

  router.delete("/hubs/:hub/faults", (req, res) => {
    deps.faults.clear(req.params.hub);
    res.status(204).end();
  });

  router.delete("/hubs/:hub", (req, res) => {
    const hub = req.params.hub;
    deps.scheduler.list().filter((e) => e.send.hub === hub).forEach((e) => deps.scheduler.cancel(hub, e.id));
    deps.store.resetHub(hub);
    res.status(204).end();
  });

  router.get("/scheduled", (_req, res) => {
    res.json({ scheduled: deps.scheduler.list().map((e) => ({ id: e.id, hub: e.send.hub, dueAt: e.dueAt, format: e.send.notification.format })) });
  });

  router.post("/scheduled/run-due", (_req, res) => {
    res.json({ fired: deps.scheduler.runDue() });
  });

  router.use((_req, res) => {
    res.status(404).json({ error: { code: "NotFound", message: "No such emulator control endpoint; see docs/emulator.md" } });
  });

  router.use((error: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status && error.status < 500 ? error.status : 500).json({ error: { code: "BadRequest", message: error.message } });
  });

  return router;
}
