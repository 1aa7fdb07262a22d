import type { NotificationHubsClient } from "@azure/notification-hubs";

interface SasToken {
  token: string;
  /** Unix seconds. */
  expiresOnTimestamp: number;
}
interface SasCredential {
  getToken(scope: string | string[]): Promise<SasToken>;
}

/** A token is reused until this long before it expires (the SDK signs one-hour tokens). */
const RENEW_BEFORE_S = 300;

/**
 * The SDK signs a fresh SAS token (HMAC through WebCrypto) for every request; at delivery rates
 * that is a large share of the CPU per send. This reuses the token while it has more than five
 * minutes left. It reaches into the SDK's client context (`_client.sasTokenCredential`, present in
 * @azure/notification-hubs 2.x); if that shape ever changes, it leaves the client as it is.
 */
export function cacheSasTokens(client: NotificationHubsClient, nowSeconds: () => number = () => Date.now() / 1000): boolean {
  const context = (client as unknown as { _client?: { sasTokenCredential?: SasCredential } })._client;
  const credential = context?.sasTokenCredential;
  if (!credential || typeof credential.getToken !== "function") return false;
  const sign = credential.getToken.bind(credential);
  const cache = new Map<string, Promise<SasToken>>();
  credential.getToken = async (scope) => {
    const key = Array.isArray(scope) ? scope.join(" ") : scope;
    const cached = cache.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresOnTimestamp - nowSeconds() > RENEW_BEFORE_S) return token;
    }
    const fresh = sign(scope);
    cache.set(key, fresh);
    return fresh;
  };
  return true;
}
