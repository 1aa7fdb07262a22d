import { createHttpHeaders, type HttpHeaders } from "@azure/core-rest-pipeline";
import type { NotificationHubsClientContext } from "@azure/notification-hubs/api";

/** A token is reused until this long before it expires (the SDK signs one-hour tokens). */
const RENEW_BEFORE_S = 300;

interface SignedHeaders {
  /** What the SDK's createHeaders adds: Authorization (the SAS token), x-ms-version, telemetry. */
  headers: Record<string, string>;
  /** The token's `se` (Unix seconds); 0 when it cannot be read, and then it is not reused. */
  expiresAt: number;
}

/** `SharedAccessSignature sr=<resource>&sig=<signature>&se=<expiry>&skn=<keyname>`: the expiry. */
export function sasTokenExpiry(authorization: string | undefined): number {
  const m = /[\s&]se=(\d+)(?:&|$)/.exec(authorization ?? "");
  return m ? Number(m[1]) : 0;
}

/**
 * The SDK signs a fresh SAS token (HMAC through WebCrypto) in every `createHeaders` call, that is
 * for every request; at delivery rates that is a large share of the CPU per send. This context
 * (the SDK's public NotificationHubsClientContext, from `@azure/notification-hubs/api`) signs
 * through the wrapped one once per operation and reuses its headers while the token has more than
 * five minutes left; the request's own headers are added to a copy each time.
 */
export function cacheSasTokens(context: NotificationHubsClientContext, nowSeconds: () => number = () => Date.now() / 1000): NotificationHubsClientContext {
  const signed = new Map<string, Promise<SignedHeaders>>();
  const sign = async (operationName: string): Promise<SignedHeaders> => {
    const headers = (await context.createHeaders(operationName)).toJSON({ preserveCase: true });
    return { headers, expiresAt: sasTokenExpiry(headers.Authorization) };
  };
  const current = async (operationName: string): Promise<SignedHeaders> => {
    const cached = signed.get(operationName);
    const hit = cached && (await cached.catch(() => undefined));
    if (hit && hit.expiresAt - nowSeconds() > RENEW_BEFORE_S) return hit;
    const fresh = sign(operationName);
    signed.set(operationName, fresh);
    return fresh;
  };
  return {
    sendRequest: (request) => context.sendRequest(request),
    requestUrl: () => context.requestUrl(),
    async createHeaders(operationName, rawHeaders): Promise<HttpHeaders> {
      const { headers } = await current(operationName);
      return createHttpHeaders({ ...rawHeaders, ...headers }); // the SDK's own headers win, as in its createHeaders
    },
  };
}
