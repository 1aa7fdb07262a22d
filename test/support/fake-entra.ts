import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { compactVerify, importSPKI } from "jose";
import { listen, readBody, type Listening } from "./listen.js";

export interface FakeEntra extends Listening {
  tokenRequests: URLSearchParams[];
  /** Routes MSAL's https calls to this loopback server (MSAL refuses non-https authorities). */
  networkClient: INetworkModule;
}

/**
 * A faithful stand-in for the Entra ID v2 token endpoint: instance discovery, OpenID metadata and
 * the client-credentials grant, with Entra's error shape for a wrong secret.
 */
export async function startFakeEntra(o: { tenantId: string; clientId: string; clientSecret: string; expiresIn?: number; certificatePublicKeyPem?: string }): Promise<FakeEntra> {
  const tokenRequests: URLSearchParams[] = [];
  const authority = `https://login.microsoftonline.com/${o.tenantId}`;
  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Content-Type", "application/json");
    if (url.pathname.endsWith("/discovery/instance")) {
      res.end(JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"] }],
      }));
      return;
    }
    if (url.pathname.endsWith("/.well-known/openid-configuration")) {
      res.end(JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `https://login.microsoftonline.com/${o.tenantId}/v2.0`,
        jwks_uri: `https://login.microsoftonline.com/${o.tenantId}/discovery/v2.0/keys`,
      }));
      return;
    }
    if (url.pathname.endsWith("/oauth2/v2.0/token") && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      tokenRequests.push(form);
      if (form.get("client_id") !== o.clientId || !(await clientAuthenticated(form))) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] }));
        return;
      }
      res.end(JSON.stringify({ token_type: "Bearer", expires_in: o.expiresIn ?? 3599, ext_expires_in: o.expiresIn ?? 3599, access_token: `graph-app-token-${tokenRequests.length}` }));
      return;
    }
    res.statusCode = 404;
    res.end("{}");
  });

  /** A client secret, or a client assertion (certificate credential) signed with the registered key. */
  async function clientAuthenticated(form: URLSearchParams): Promise<boolean> {
    if (form.get("client_secret") !== null) return form.get("client_secret") === o.clientSecret;
    const assertion = form.get("client_assertion");
    if (!assertion || !o.certificatePublicKeyPem || form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return false;
    try {
      const { payload } = await compactVerify(assertion, await importSPKI(o.certificatePublicKeyPem, "PS256"));
      const claims = JSON.parse(Buffer.from(payload).toString("utf8")) as { iss?: string; sub?: string; aud?: string };
      return claims.iss === o.clientId && claims.sub === o.clientId && String(claims.aud).endsWith("/oauth2/v2.0/token");
    } catch {
      return false;
    }
  }

  const toLoopback = (u: string) => {
    const parsed = new URL(u);
    return `${server.url}${parsed.pathname}${parsed.search}`;
  };
  async function call<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const r = await fetch(toLoopback(url), { method, headers: options?.headers, body: options?.body });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => (headers[k] = v));
    return { status: r.status, headers, body: (await r.json()) as T };
  }
  return {
    ...server,
    tokenRequests,
    networkClient: {
      sendGetRequestAsync: (url, options) => call("GET", url, options),
      sendPostRequestAsync: (url, options) => call("POST", url, options),
    },
  };
}
