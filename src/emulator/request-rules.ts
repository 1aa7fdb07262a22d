import { isNativeHeader } from "./native-validation.js";
import { NhError, nhErrors } from "./nh-errors.js";
import type { OperationName } from "./operations.js";

/**
 * Strictness: a query parameter or header the emulator does not understand is refused (400)
 * rather than ignored, so a client never relies on behaviour the emulator only pretends to have.
 */
const GENERIC_HEADERS = new Set([
  "host", "connection", "keep-alive", "content-length", "content-type", "transfer-encoding", "expect", "te",
  "accept", "accept-encoding", "accept-language", "user-agent", "authorization", "cache-control", "pragma",
  "x-ms-version", "x-ms-azsdk-telemetry", "x-ms-client-request-id", "x-ms-return-client-request-id",
  "traceparent", "tracestate", "baggage", "request-id", "forwarded", "via",
]);
const GENERIC_PREFIXES = ["x-forwarded-", "sec-fetch-"];

const SEND_HEADERS = ["servicebusnotification-format", "servicebusnotification-tags"];
const OPERATION_HEADERS: Partial<Record<OperationName, string[]>> = {
  send: [...SEND_HEADERS, "servicebusnotification-devicehandle", "p256dh", "auth"],
  batchSend: ["servicebusnotification-format"],
  scheduleSend: [...SEND_HEADERS, "servicebusnotification-scheduletime"],
};
const TAKES_NATIVE_HEADERS = new Set<OperationName>(["send", "batchSend", "scheduleSend"]);

const OPERATION_QUERY: Partial<Record<OperationName, string[]>> = {
  send: ["direct", "test"],
  batchSend: ["direct"],
};
const FLAG_VALUES = new Set(["", "true"]);

export function checkQuery(operation: OperationName, query: URLSearchParams): NhError | undefined {
  if (!query.get("api-version")) return nhErrors.badRequest("The api-version query parameter is required (the SDK uses 2020-06)");
  const allowed = new Set(["api-version", ...(OPERATION_QUERY[operation] ?? [])]);
  for (const [name, value] of query) {
    if (!allowed.has(name)) return nhErrors.notSupported(`The query parameter '${name}' on ${operation}`);
    if (name !== "api-version" && !FLAG_VALUES.has(value)) return nhErrors.badRequest(`The query parameter '${name}' takes no value but true`);
  }
  if (operation === "batchSend" && !query.has("direct")) return nhErrors.badRequest("A $batch send must be a direct send (?direct=true)");
  if (query.has("direct") && query.has("test")) return nhErrors.badRequest("Test send is only available for tag and broadcast sends");
  return undefined;
}

export function checkHeaders(operation: OperationName, headerNames: string[]): NhError | undefined {
  const allowed = new Set(OPERATION_HEADERS[operation] ?? []);
  for (const name of headerNames) {
    if (GENERIC_HEADERS.has(name) || allowed.has(name) || GENERIC_PREFIXES.some((p) => name.startsWith(p))) continue;
    if (TAKES_NATIVE_HEADERS.has(operation) && isNativeHeader(name)) continue;
    return nhErrors.notSupported(`The header '${name}' on ${operation}`);
  }
  return undefined;
}
