import { readFileSync } from "node:fs";
import type { Config } from "../config.js";
import type { DeliveryStrategy } from "../delivery/strategy.js";

/** BRIDGE_STRATEGY=graph: forwards to Microsoft Graph. Loaded only for this strategy (MSAL alone is ~15 MB resident). */
export async function buildGraphStrategy(c: Config, fetchImpl?: typeof fetch): Promise<DeliveryStrategy> {
  const { createGraphStrategy } = await import("../delivery/graph/graph-strategy.js");
  const { createGraphTokenProvider } = await import("../delivery/graph/graph-token.js");
  const certificate = c.GRAPH_CLIENT_CERTIFICATE_PATH
    ? { privateKeyPem: readFileSync(c.GRAPH_CLIENT_CERTIFICATE_PATH, "utf8"), thumbprintSha256: c.GRAPH_CLIENT_CERTIFICATE_THUMBPRINT ?? "" }
    : undefined;
  const token = () => createGraphTokenProvider({ tenantId: c.GRAPH_TENANT_ID ?? "", clientId: c.GRAPH_CLIENT_ID ?? "", clientSecret: c.GRAPH_CLIENT_SECRET, certificate, authorityHost: c.GRAPH_AUTHORITY_HOST });
  return createGraphStrategy({
    baseUrl: c.GRAPH_BASE_URL,
    timeoutMs: c.GRAPH_TIMEOUT_MS,
    fetch: fetchImpl,
    auth: c.GRAPH_AUTH === "passthrough" ? { kind: "passthrough" } : { kind: "app", token: token() },
  });
}
