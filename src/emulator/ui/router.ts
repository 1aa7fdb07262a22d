import express, { type Request, type Response } from "express";
import type { EmulatorView } from "../model.js";
import { listDeliveries } from "./list-deliveries.js";
import { buildViewerPage } from "./page.js";
import { parseDeliveryQuery, parseInstallationQuery, type QueryProblem } from "./query-params.js";

function sendProblem(res: Response, problem: QueryProblem): void {
  res.status(400).json({ error: problem });
}

/** The page fetches relative URLs, so it must be served from a path that ends with a slash. */
function redirectToSlashed(req: Request, res: Response): boolean {
  const url = new URL(req.originalUrl, "http://emulator.invalid");
  if (url.pathname.endsWith("/")) return false;
  const lastSegment = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  // Relative Location keeps working behind a proxy that adds its own path prefix.
  res.redirect(302, `${lastSegment}/${url.search}`);
  return true;
}

/**
 * The "what devices received" viewer: `GET /` (HTML page), `GET /deliveries`, `GET /installations`.
 * Mounted by the emulator at `/_emulator`; read-only over the given view.
 */
export function createEmulatorUiRouter(view: EmulatorView): express.Router {
  const router = express.Router();
  const page = buildViewerPage();

  router.get("/deliveries", (req, res) => {
    const query = parseDeliveryQuery(req.query as Record<string, unknown>);
    if (!query.ok) return sendProblem(res, query.problem);
    res.set("Cache-Control", "no-store");
    // droppedDeliveries: older ones the emulator no longer keeps (all hubs), so a short list is not mistaken for a loss.
    res.json({ deliveries: listDeliveries(view, query.value.filter, query.value.withView), droppedDeliveries: view.droppedDeliveries() });
  });

  router.get("/installations", (req, res) => {
    const query = parseInstallationQuery(req.query as Record<string, unknown>);
    if (!query.ok) return sendProblem(res, query.problem);
    res.set("Cache-Control", "no-store");
    res.json({ hubs: view.listHubs(), installations: view.listInstallations(query.value.hub) });
  });

  router.get("/", (req, res) => {
    if (redirectToSlashed(req, res)) return;
    res.set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": page.contentSecurityPolicy,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    res.send(page.html);
  });

  return router;
}
