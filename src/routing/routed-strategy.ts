import type { Caller } from "../auth/types.js";
import type { HubsStrategy } from "../delivery/hubs/hubs-strategy.js";
import type { DeliveryStrategy, PlannedRouting, PreviewingStrategy, SendTarget, SubmitContext } from "../delivery/strategy.js";
import { errors } from "../errors.js";
import type { AcceptedNotification, LegacyNotification } from "../legacy/types.js";
import type { StoredRouting } from "../store/store.js";
import { resolveRoute } from "./resolve-route.js";
import type { RoutingTable } from "./types.js";

export interface RoutedStrategyOptions {
  /** The routing in force; read once per notification, so a reload applies from the next one. */
  table: () => RoutingTable;
  /** The outbox hubs strategy: stores every hubs, dry-run and shadow notification. */
  hubs: HubsStrategy;
  /** Forwarding for destinations of type graph (built when the routing has one). */
  graph: () => DeliveryStrategy | undefined;
  /** TARGET_TAG_TEMPLATE: the tag template of a hub that names none. */
  defaultTagTemplate: string;
  /** Each decision, for counts and logs. */
  onRouted?: (decision: StoredRouting, ctx: { unsId: string; requestId?: string }) => void;
  /** A shadow copy that could not be stored (the caller's answer is not affected). */
  onShadowError?: (e: unknown, decision: StoredRouting) => void;
}

export const appIdOf = (caller: Caller): string | undefined => (caller.kind === "anonymous" ? undefined : caller.appId);

/** The decision for one notification and the send targets it implies. */
export function planRouting(table: RoutingTable, input: { targetHostName: string; caller: Caller; unsId: string }, defaultTagTemplate: string): PlannedRouting {
  const d = resolveRoute(table, { targetHostName: input.targetHostName, appId: appIdOf(input.caller), unsId: input.unsId });
  const main = table.destinations[d.destination];
  const decision: StoredRouting = { ...d, type: main.type };
  const target = (destination: string, role: SendTarget["role"]): SendTarget[] => {
    const def = table.destinations[destination];
    return def.type === "hubs" ? [{ destination, role, tagTemplate: def.tagTemplate ?? defaultTagTemplate }] : [];
  };
  return { decision, targets: [...target(d.destination, "main"), ...(d.shadow ? target(d.shadow, "shadow") : [])] };
}

/**
 * The strategy with a routing file: resolves the route of each notification, then stores it for
 * the outbox with one set of deliveries per destination (hubs, shadow), stores it unsent (dry run),
 * or forwards it to Graph (and stores a shadow copy when the route has a shadow).
 */
export function createRoutedStrategy(o: RoutedStrategyOptions): PreviewingStrategy {
  function graphOrFail(): DeliveryStrategy {
    const g = o.graph();
    if (!g) throw errors.upstreamUnavailable("The route's destination forwards to Microsoft Graph, which is not set up in this process.");
    return g;
  }

  async function submitToGraph(n: LegacyNotification, ctx: SubmitContext, planned: PlannedRouting) {
    const answer = await graphOrFail().submit(n, ctx);
    const shadows = planned.targets.filter((t) => t.role === "shadow");
    if (shadows.length && answer.status >= 200 && answer.status < 300) {
      // The copy for the shadow hub is stored after Graph answered; its failure is logged, not the caller's.
      await o.hubs.submit(n, { ...ctx, routing: { decision: planned.decision, targets: shadows } })
        .catch((e: unknown) => o.onShadowError?.(e, planned.decision));
    }
    return answer;
  }

  return {
    name: "routed",
    // Readiness is per destination (the bridge's /readyz lists each).
    checkReady: () => Promise.resolve(),
    async submit(n, ctx) {
      const planned = planRouting(o.table(), { targetHostName: n.targetHostName, caller: ctx.caller, unsId: ctx.unsId }, o.defaultTagTemplate);
      o.onRouted?.(planned.decision, { unsId: ctx.unsId, requestId: ctx.requestId });
      const answer = planned.decision.type === "graph" ? await submitToGraph(n, ctx, planned) : await o.hubs.submit(n, { ...ctx, routing: planned });
      return { ...answer, routing: planned.decision };
    },
    preview(accepted: AcceptedNotification, p?: { caller?: Caller }) {
      const table = o.table();
      const { decision, targets } = planRouting(table, { targetHostName: accepted.targetHostName, caller: p?.caller ?? { kind: "anonymous" }, unsId: accepted.unsId }, o.defaultTagTemplate);
      const main = targets.find((t) => t.role === "main");
      // A dry run shows what would be sent with the default template; Graph gets the request unchanged.
      const tagTemplate = main?.tagTemplate ?? (decision.type === "dry-run" ? o.defaultTagTemplate : undefined);
      return { routing: decision, sends: tagTemplate ? o.hubs.previewFor(accepted, tagTemplate) : [] };
    },
  };
}
