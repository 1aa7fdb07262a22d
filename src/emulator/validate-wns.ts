import { XMLParser, XMLValidator } from "fast-xml-parser";
import { byteLength, formatProblem, mediaTypeOf, sizeProblem, type NativeNotification, type PayloadProblem } from "./native-types.js";

/**
 * WNS rules (learn.microsoft.com/windows/apps/design/shell/tiles-and-notifications/push-request-response-headers):
 * X-WNS-Type required; toast/tile/badge are XML with the matching root; raw is octet-stream;
 * 5000 bytes; X-WNS-Tag and X-WNS-Group at most 16 characters.
 */
const ROOT_OF_TYPE: Record<string, string | undefined> = {
  "wns/toast": "toast",
  "wns/tile": "tile",
  "wns/badge": "badge",
  "wns/raw": undefined,
};
const HEADERS = new Set([
  "x-wns-type", "x-wns-cache-policy", "x-wns-requestforstatus", "x-wns-tag", "x-wns-ttl",
  "x-wns-suppresspopup", "x-wns-group", "x-wns-match", "x-wns-priority",
]);
const XML_TYPES = new Set(["application/xml", "text/xml"]);

function checkHeaders(h: Record<string, string>): PayloadProblem | undefined {
  const unknown = Object.keys(h).find((name) => !HEADERS.has(name));
  if (unknown) return formatProblem(`WNS has no header '${unknown}'`);
  for (const name of ["x-wns-tag", "x-wns-group"]) {
    const value = h[name];
    if (value !== undefined && (value.length === 0 || value.length > 16)) return formatProblem(`${name} must be 1-16 characters`);
  }
  if (h["x-wns-ttl"] !== undefined && !/^\d+$/.test(h["x-wns-ttl"])) return formatProblem("x-wns-ttl must be whole seconds");
  if (h["x-wns-priority"] !== undefined && !/^[1-4]$/.test(h["x-wns-priority"])) return formatProblem("x-wns-priority must be 1-4");
  const cache = h["x-wns-cache-policy"];
  if (cache !== undefined && cache !== "cache" && cache !== "no-cache") return formatProblem("x-wns-cache-policy must be cache or no-cache");
  const status = h["x-wns-requestforstatus"];
  if (status !== undefined && status !== "true" && status !== "false") return formatProblem("x-wns-requestforstatus must be true or false");
  if (h["x-wns-suppresspopup"] !== undefined) {
    return formatProblem("x-wns-suppresspopup is for Windows Phone channels; WNS drops such a notification on Windows");
  }
  if (h["x-wns-match"] !== undefined) return formatProblem("x-wns-match only applies to HTTP DELETE on Windows Phone");
  return undefined;
}

function rootElementOf(xml: string): string | undefined {
  const parsed = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, ignorePiTags: true }).parse(xml) as object;
  const roots = Object.keys(parsed).filter((k) => k !== "#text");
  return roots.length === 1 ? roots[0] : undefined;
}

export function validateWnsNotification(n: NativeNotification): PayloadProblem | undefined {
  const type = n.headers["x-wns-type"];
  if (type === undefined) return formatProblem("X-WNS-Type is required: wns/toast, wns/tile, wns/badge or wns/raw");
  if (!(type in ROOT_OF_TYPE)) return formatProblem(`X-WNS-Type '${type}' is not wns/toast, wns/tile, wns/badge or wns/raw`);
  const headerProblem = checkHeaders(n.headers);
  if (headerProblem) return headerProblem;
  const media = mediaTypeOf(n.contentType);
  const size = byteLength(n.body);
  if (size > 5000) return sizeProblem("The WNS", size, 5000);
  if (type === "wns/raw") {
    return media === "application/octet-stream" ? undefined : formatProblem("a wns/raw notification must be application/octet-stream");
  }
  if (!XML_TYPES.has(media)) return formatProblem(`a ${type} notification must be XML (application/xml or text/xml)`);
  if (XMLValidator.validate(n.body) !== true) return formatProblem(`the ${type} payload is not well-formed XML`);
  const expected = ROOT_OF_TYPE[type];
  const root = rootElementOf(n.body);
  if (root !== expected) return formatProblem(`a ${type} payload must have the root element <${expected}>, not <${root ?? "?"}>`);
  return undefined;
}
