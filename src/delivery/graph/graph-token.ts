import { ConfidentialClientApplication, type INetworkModule } from "@azure/msal-node";

export interface GraphTokenOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificate?: { privateKeyPem: string; thumbprintSha256: string };
  authorityHost: string;
  /** Tests route MSAL's HTTP calls to a loopback fake of the token endpoint through this. */
  networkClient?: INetworkModule;
}

export type GraphTokenProvider = () => Promise<string>;

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/**
 * App-only token by client credentials. MSAL keeps the token in its cache and fetches a new one
 * shortly before it expires, so calling this per request is cheap.
 */
export function createGraphTokenProvider(o: GraphTokenOptions): GraphTokenProvider {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: o.clientId,
      authority: `${o.authorityHost.replace(/\/$/, "")}/${o.tenantId}`,
      clientSecret: o.clientSecret,
      clientCertificate: o.certificate ? { thumbprintSha256: o.certificate.thumbprintSha256, privateKey: o.certificate.privateKeyPem } : undefined,
    },
    system: o.networkClient ? { networkClient: o.networkClient } : undefined,
  });
  return async () => {
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    if (!result?.accessToken) throw new Error("Entra ID returned no access token for Microsoft Graph");
    return result.accessToken;
  };
}
