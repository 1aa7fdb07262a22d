import { isLoopbackUrl } from "../../net/loopback.js";

/**
 * What is wrong with a Notification Hubs connection string, or undefined when it is usable: it
 * needs an Endpoint, a key name and a key; plain http only on loopback unless allowed.
 */
export function connectionStringProblem(cs: string, o: { allowInsecureHttp: boolean }): string | undefined {
  const endpoint = /Endpoint=([^;]+)/i.exec(cs)?.[1];
  if (!endpoint || !/SharedAccessKeyName=/i.test(cs) || !/SharedAccessKey=/i.test(cs))
    return "expected Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=... (copy it from the hub's Access Policies)";
  if (endpoint.startsWith("http://") && !isLoopbackUrl(endpoint) && !o.allowInsecureHttp)
    return "a plain-http Endpoint is allowed only for loopback hosts, or with NH_ALLOW_INSECURE_HTTP=true";
  return undefined;
}

/** The Endpoint of a connection string (not a secret), for display. */
export const endpointOf = (cs: string): string | undefined => /Endpoint=([^;]+)/i.exec(cs)?.[1];
