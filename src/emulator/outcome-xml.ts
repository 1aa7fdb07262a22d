import type { NotificationRecord } from "./hub-store.js";
import { escapeXml } from "./nh-errors.js";
import type { SendFormat } from "./native-types.js";
import type { DeviceResult } from "./send.js";

/**
 * The XML bodies the SDK parses: `NotificationDetails` (GET {hub}/messages/{id}) and
 * `NotificationOutcome` (test sends), in NH's data-contract namespace.
 */
const NAMESPACES =
  'xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"';

const COUNTS_ELEMENT: Record<SendFormat, string> = {
  apple: "ApnsOutcomeCounts",
  fcmv1: "FcmV1OutcomeCounts",
  windows: "WnsOutcomeCounts",
  browser: "BrowserOutcomeCounts",
};

/** Success message NH puts in a test send's RegistrationResult. */
const SUCCESS_TEXT = "The Notification was successfully sent to the Push Notification System";
/** NH reports at most 10 devices in a test send outcome. */
export const MAX_TEST_SEND_RESULTS = 10;

function element(name: string, value: string | number | undefined): string {
  return value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function renderNotificationDetails(record: NotificationRecord, location: string): string {
  const outcomes = Object.entries(record.outcomes)
    .map(([name, count]) => `<Outcome>${element("Name", name)}${element("Count", count)}</Outcome>`)
    .join("");
  // The SDK cannot parse an empty counts element, so it is left out when nothing was counted.
  const counts = outcomes === "" ? "" : `<${COUNTS_ELEMENT[record.format]}>${outcomes}</${COUNTS_ELEMENT[record.format]}>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><NotificationDetails ${NAMESPACES}>` +
    element("NotificationId", record.id) +
    element("Location", location) +
    element("State", record.state) +
    element("EnqueueTime", record.enqueueTime) +
    element("StartTime", record.startTime) +
    element("EndTime", record.endTime) +
    element("NotificationBody", record.body) +
    element("TargetPlatforms", record.format) +
    counts +
    `</NotificationDetails>`
  );
}

export function renderNotificationOutcome(format: SendFormat, results: DeviceResult[]): string {
  const success = results.filter((r) => r.outcome === "Success").length;
  const items = results
    .slice(0, MAX_TEST_SEND_RESULTS)
    .map(
      (r) =>
        "<RegistrationResult>" +
        element("ApplicationPlatform", format) +
        element("PnsHandle", r.handle) +
        element("RegistrationId", r.installation?.installationId ?? r.handle) +
        element("Outcome", r.outcome === "Success" ? SUCCESS_TEXT : r.outcome) +
        "</RegistrationResult>",
    )
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?><NotificationOutcome ${NAMESPACES}>` +
    element("Success", success) +
    element("Failure", results.length - success) +
    `<Results>${items}</Results></NotificationOutcome>`
  );
}
