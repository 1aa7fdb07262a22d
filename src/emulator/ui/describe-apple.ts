import type { RecordedDelivery } from "../model.js";
import { describeAsData, type RenderedDelivery } from "./rendered-delivery.js";
import { findHeader, isRecord, omitKeys, parseJsonObject, prettyJson, readText } from "./payload-helpers.js";

interface AlertText {
  title?: string;
  subtitle?: string;
  body?: string;
}

/** `aps.alert` is either the body as a string or a dictionary; loc keys stand in when no text is given. */
function readAlert(alert: unknown): AlertText {
  if (typeof alert === "string") return { body: readText(alert) };
  if (!isRecord(alert)) return {};
  return {
    title: readText(alert.title) ?? readText(alert["title-loc-key"]),
    subtitle: readText(alert.subtitle) ?? readText(alert["subtitle-loc-key"]),
    body: readText(alert.body) ?? readText(alert["loc-key"]),
  };
}

function hasText(alert: AlertText): boolean {
  return alert.title !== undefined || alert.subtitle !== undefined || alert.body !== undefined;
}

/** Rules from APNs "Sending notification requests" and "Pushing background updates". */
function findAppleProblems(pushType: string | undefined, priority: string | undefined, aps: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const visible = aps.alert !== undefined || aps.sound !== undefined || aps.badge !== undefined;
  if (pushType === undefined) problems.push("no apns-push-type header: APNs may delay or drop the push");
  if (pushType === "background" && priority !== "5") {
    problems.push("apns-push-type background needs apns-priority 5: APNs rejects other values");
  }
  if (pushType === "background" && visible) {
    problems.push("apns-push-type background with alert/sound/badge: iOS will not show it");
  }
  if (pushType === "background" && aps["content-available"] !== 1) {
    problems.push("background push without aps.content-available: 1: the app is not woken");
  }
  return problems;
}

export function describeAppleDelivery(delivery: RecordedDelivery): RenderedDelivery {
  const payload = parseJsonObject(delivery.body);
  if (payload === undefined) return describeAsData(delivery, "APNs push", ["body is not a JSON object: APNs rejects it"]);
  const aps = isRecord(payload.aps) ? payload.aps : {};
  const pushType = findHeader(delivery.headers, "apns-push-type");
  const problems = findAppleProblems(pushType, findHeader(delivery.headers, "apns-priority"), aps);
  const alert = readAlert(aps.alert);
  if (pushType === "background" || !hasText(alert)) {
    const label = aps["content-available"] === 1 ? "Background push" : "Silent push";
    return describeAsData(delivery, label, problems);
  }
  const custom = omitKeys(payload, ["aps"]);
  return {
    kind: "ios-banner",
    label: "iOS banner",
    appName: findHeader(delivery.headers, "apns-topic") ?? delivery.hub,
    ...alert,
    headers: { ...delivery.headers },
    data: custom === undefined ? undefined : prettyJson(custom),
    problems,
  };
}
