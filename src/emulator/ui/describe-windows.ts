import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { RecordedDelivery } from "../model.js";
import { describeAsData, type RenderedDelivery } from "./rendered-delivery.js";
import { findHeader, isRecord } from "./payload-helpers.js";

const WNS_LABELS: Record<string, string> = {
  "wns/raw": "Raw notification",
  "wns/tile": "Tile update",
  "wns/badge": "Badge update",
};

interface ToastText {
  title?: string;
  body?: string;
  launch?: string;
}

function createToastParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => name === "binding" || name === "text",
  });
}

function readTextNode(node: unknown): string {
  if (typeof node === "string") return node;
  if (isRecord(node) && typeof node["#text"] === "string") return node["#text"];
  return "";
}

/** Toast schema: the ToastGeneric binding's first `<text>` is the title, the next ones the body lines. */
export function readToastText(xml: string): ToastText | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const document: unknown = createToastParser().parse(xml);
  const toast = isRecord(document) ? document.toast : undefined;
  if (!isRecord(toast)) return undefined;
  const visual = isRecord(toast.visual) ? toast.visual : {};
  const bindings = Array.isArray(visual.binding) ? visual.binding.filter(isRecord) : [];
  const binding = bindings.find((b) => b["@_template"] === "ToastGeneric") ?? bindings[0];
  const texts = binding !== undefined && Array.isArray(binding.text) ? binding.text.map(readTextNode) : [];
  const launch = typeof toast["@_launch"] === "string" ? toast["@_launch"] : undefined;
  const bodyLines = texts.slice(1).filter((line) => line.length > 0);
  return {
    title: texts[0] || undefined,
    body: bodyLines.length > 0 ? bodyLines.join("\n") : undefined,
    launch,
  };
}

/** WNS decides the kind from `X-WNS-Type`; a body that does not match it is dropped by the client. */
export function describeWindowsDelivery(delivery: RecordedDelivery): RenderedDelivery {
  const wnsType = findHeader(delivery.headers, "X-WNS-Type")?.toLowerCase();
  if (wnsType !== "wns/toast") {
    const problems = wnsType === undefined ? ["no X-WNS-Type header: WNS rejects the request"] : [];
    return describeAsData(delivery, WNS_LABELS[wnsType ?? ""] ?? "WNS push", problems);
  }
  const toast = readToastText(delivery.body);
  if (toast === undefined) {
    return describeAsData(delivery, "Toast (unreadable)", ["wns/toast body is not well-formed <toast> XML: Windows drops it"]);
  }
  if (toast.title === undefined && toast.body === undefined) {
    return describeAsData(delivery, "Toast (empty)", ["toast has no <text> elements: nothing to show"]);
  }
  return {
    kind: "windows-toast",
    label: "Windows toast",
    appName: delivery.hub,
    title: toast.title,
    body: toast.body,
    headers: { ...delivery.headers },
    data: toast.launch === undefined ? undefined : `launch: ${toast.launch}`,
    problems: [],
  };
}
