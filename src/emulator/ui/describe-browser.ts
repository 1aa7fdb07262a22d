import type { RecordedDelivery } from "../model.js";
import { describeAsData, type RenderedDelivery } from "./rendered-delivery.js";
import { omitKeys, parseJsonObject, prettyJson, readText } from "./payload-helpers.js";

/**
 * NH `browser` sends hand the JSON body to the site's service worker, which shows it with
 * `showNotification(title, {body})`; without a title there is nothing to show, so it is data.
 */
export function describeBrowserDelivery(delivery: RecordedDelivery): RenderedDelivery {
  const payload = parseJsonObject(delivery.body);
  if (payload === undefined) return describeAsData(delivery, "Web push data", []);
  const title = readText(payload.title);
  if (title === undefined) return describeAsData(delivery, "Web push data", []);
  const rest = omitKeys(payload, ["title", "body"]);
  return {
    kind: "browser-notification",
    label: "Browser notification",
    appName: delivery.hub,
    title,
    body: readText(payload.body),
    headers: { ...delivery.headers },
    data: rest === undefined ? undefined : prettyJson(rest),
    problems: [],
  };
}
