import type { RecordedDelivery } from "../model.js";
import { describeAppleDelivery } from "./describe-apple.js";
import { describeAndroidDelivery } from "./describe-android.js";
import { describeBrowserDelivery } from "./describe-browser.js";
import { describeWindowsDelivery } from "./describe-windows.js";
import { describeAsData, type RenderedDelivery } from "./rendered-delivery.js";

export type { DeliveryKind, RenderedDelivery } from "./rendered-delivery.js";

/** Decides, per platform, how the device would show a delivery (or that it is data only). */
export function describeDelivery(delivery: RecordedDelivery): RenderedDelivery {
  switch (delivery.platform) {
    case "apns":
      return describeAppleDelivery(delivery);
    case "fcmv1":
    case "gcm":
      return describeAndroidDelivery(delivery);
    case "wns":
      return describeWindowsDelivery(delivery);
    case "browser":
      return describeBrowserDelivery(delivery);
    default:
      return describeAsData(delivery, `${delivery.platform} push`, []);
  }
}
