import { APP_ID, delegatedClaims, mintToken, USER_OID } from "../auth/fake-entra.js";
import { send, type RawAnswer } from "../security/http-client.js";
import { APP_B, APP_C, HOST, startSecuredBridge, type SecuredBridge } from "../security/bridge-fixture.js";

export { APP_B, APP_C, HOST };
export const OTHER_HOST = "other.fabrikam.com";
export const ALICE = USER_OID;
export const BOB = "bbbbbbbb-0000-4000-8000-0000000000b0";

export interface ClientBridge extends SecuredBridge {
  /** A delegated token (Notifications.ReadWrite.CreatedByApp) for user `oid` through client app `appId`. */
  userToken(o?: { oid?: string; appId?: string }): Promise<string>;
  /** One JSON request to the bridge with a bearer token. */
  call(token: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawAnswer & { json: Record<string, unknown> }>;
}

/**
 * The whole bridge (loadConfig → startBridge) with Entra auth against the loopback fake Entra,
 * the embedded NH emulator and a SQLite file: APP_ID may use HOST and OTHER_HOST, APP_B and APP_C
 * only HOST, so a client app can be refused a host.
 */
export async function startClientBridge(env: Record<string, string> = {}): Promise<ClientBridge> {
  const b = await startSecuredBridge({ AUTH_APP_HOSTS: JSON.stringify({ [APP_ID]: [HOST, OTHER_HOST], [APP_B]: [HOST], [APP_C]: [HOST] }), ...env });
  return {
    ...b,
    userToken: (o = {}) => mintToken(b.key, { now: new Date(), claims: { ...delegatedClaims(), oid: o.oid ?? ALICE, azp: o.appId ?? APP_ID } }),
    async call(token, method, path, body, extra = {}) {
      const headers: Record<string, string> = { "Content-Type": "application/json", ...extra };
      if (token !== undefined) headers.Authorization = `Bearer ${token}`;
      const a = await send(b.bridge.url, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      let json: unknown;
      try {
        json = a.text ? JSON.parse(a.text) : undefined;
      } catch {
        json = undefined;
      }
      return { ...a, json: json as Record<string, unknown> };
    },
  };
}
