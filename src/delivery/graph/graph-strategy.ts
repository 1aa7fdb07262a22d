import { errors } from "../../errors.js";
import type { DeliveryStrategy, SubmitAnswer } from "../strategy.js";
import type { GraphTokenProvider } from "./graph-token.js";

export interface GraphStrategyOptions {
  baseUrl: string;
  auth: { kind: "app"; token: GraphTokenProvider } | { kind: "passthrough" };
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Headers of Graph's answer passed back to the caller unchanged. */
const RELAYED = ["content-type", "request-id", "client-request-id", "location", "retry-after", "www-authenticate"];

/**
 * Forwards the legacy request to Graph (or whatever GRAPH_BASE_URL names) and relays its answer
 * byte for byte: status, body and request-id, errors included.
 */
export function createGraphStrategy(o: GraphStrategyOptions): DeliveryStrategy {
  const doFetch = o.fetch ?? fetch;
  const url = `${o.baseUrl.replace(/\/$/, "")}/beta/me/notifications`;

  async function bearer(callerToken?: string): Promise<string> {
    if (o.auth.kind === "passthrough") {
      if (!callerToken) throw errors.unauthenticated("GRAPH_AUTH=passthrough forwards the caller's token, and this request has none.", 'Bearer realm=""');
      return callerToken;
    }
    try {
      return await o.auth.token();
    } catch (e) {
      throw errors.upstreamUnavailable("Could not get a Microsoft Graph token from Entra ID; check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the secret or certificate.", undefined, e);
    }
  }

  return {
    name: "graph",
    async checkReady() {
      if (o.auth.kind === "app") await o.auth.token();
      // Any HTTP answer means Graph is reachable; only a network failure or timeout is not ready.
      await doFetch(o.baseUrl, { method: "HEAD", signal: AbortSignal.timeout(Math.min(o.timeoutMs, 5000)) });
    },
    async submit(_n, ctx): Promise<SubmitAnswer> {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${await bearer(ctx.callerToken)}`,
        "Content-Type": "application/json",
        "client-request-id": ctx.clientRequestId,
      };
      if (ctx.caller.kind !== "delegated") headers["X-UNS-ID"] = ctx.unsId;
      let res: Response;
      try {
        res = await doFetch(url, { method: "POST", headers, body: JSON.stringify(ctx.rawBody), signal: AbortSignal.timeout(o.timeoutMs) });
      } catch (e) {
        throw errors.upstreamUnavailable(`Microsoft Graph did not answer (${(e as Error).name === "TimeoutError" ? "timed out" : "unreachable"}).`, undefined, e);
      }
      const out: Record<string, string> = {};
      for (const h of RELAYED) {
        const v = res.headers.get(h);
        if (v !== null) out[h] = v;
      }
      return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
    },
  };
}
