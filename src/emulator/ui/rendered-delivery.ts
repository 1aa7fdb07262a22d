import type { RecordedDelivery } from "../model.js";
import { prettyBody } from "./payload-helpers.js";

export type DeliveryKind = "ios-banner" | "android-notification" | "windows-toast" | "browser-notification" | "data";

/** How a device would present one delivery: what the viewer page lays out, precomputed on the server. */
export interface RenderedDelivery {
  kind: DeliveryKind;
  /** Short human label of the card, e.g. "iOS banner" or "Background push". */
  label: string;
  appName?: string;
  title?: string;
  subtitle?: string;
  body?: string;
  /** Native headers as recorded, plus notable native fields that FCM carries in the body (dotted names). */
  headers: Record<string, string>;
  /** App data riding along (custom keys, data map, raw body), pretty-printed. */
  data?: string;
  /** Things the real platform would reject or silently drop, so migrating teams notice early. */
  problems: string[];
  /** A bridge feed sync push: the state changes it announces. */
  feedSync?: Array<{ id: string; readState: string; userActionState: string; version: number }>;
  /** The bridge's notification id and app (targetHostName), from the delivery's metadata. */
  bridge?: { notificationId: string; targetHostName?: string; appNotificationId?: string };
  /** The id of the later delivery that replaced this one on the device (same collapse key). */
  replacedBy?: string;
  /** The read and action state the user's devices were last told of for this notification. */
  feedState?: { readState: string; userActionState: string };
}

/** The fallback card: headers and the whole body, nothing interpreted. */
export function describeAsData(delivery: RecordedDelivery, label: string, problems: string[]): RenderedDelivery {
  return {
    kind: "data",
    label,
    headers: { ...delivery.headers },
    data: delivery.body.length > 0 ? prettyBody(delivery.body) : undefined,
    problems,
  };
}
