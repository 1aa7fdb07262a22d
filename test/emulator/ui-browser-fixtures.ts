import type { RecordedDelivery } from "../../src/emulator/model.js";
import { aDelivery, anInstallation, FakeEmulatorView } from "./ui-fixtures.js";

export const HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
export const TOAST_XML =
  '<toast launch="id=7"><visual><binding template="ToastGeneric"><text>Build &amp; deploy</text>' +
  "<text>Pipeline #42 finished</text></binding></visual></toast>";

const at = (minute: number) => `2025-01-01T10:${String(minute).padStart(2, "0")}:00.000Z`;

function deliveriesOfEachKind(): RecordedDelivery[] {
  const ios = { hub: "contoso", installationId: "ios-1", userId: "alice", platform: "apns" as const, format: "apple" };
  const android = { hub: "contoso", installationId: "android-1", userId: "alice", platform: "fcmv1" as const, format: "fcmv1" };
  const windows = { hub: "contoso", installationId: "win-1", userId: "bob", platform: "wns" as const, format: "windows" };
  const web = { hub: "contoso", installationId: "web-1", userId: "bob", platform: "browser" as const, format: "browser" };
  return [
    aDelivery({ ...ios, id: "ios-alert", receivedAt: at(1), headers: { "apns-push-type": "alert", "apns-priority": "10", "apns-topic": "com.contoso.app" },
      body: JSON.stringify({ aps: { alert: { title: "Meeting moved", body: "Standup is now at 10:30" } } }) }),
    aDelivery({ ...ios, id: "ios-background", receivedAt: at(2), headers: { "apns-push-type": "background", "apns-priority": "5" },
      body: JSON.stringify({ aps: { "content-available": 1 }, raw: "sync-now" }) }),
    aDelivery({ ...ios, id: "ios-hostile", receivedAt: at(3), headers: { "apns-push-type": "alert" },
      body: JSON.stringify({ aps: { alert: { title: HOSTILE_TITLE, body: "<b>not bold</b>" } } }) }),
    aDelivery({ ...android, id: "android-notification", receivedAt: at(4), headers: { "Content-Type": "application/json;charset=utf-8" },
      body: JSON.stringify({ message: { notification: { title: "Order shipped", body: "Arrives Friday" }, android: { priority: "HIGH", ttl: "86400s" } } }) }),
    aDelivery({ ...android, id: "android-data", receivedAt: at(5), headers: { "Content-Type": "application/json;charset=utf-8" },
      body: JSON.stringify({ message: { data: { raw: "refresh-cart" } } }) }),
    aDelivery({ ...windows, id: "win-toast", receivedAt: at(6), headers: { "X-WNS-Type": "wns/toast", "Content-Type": "application/xml" }, body: TOAST_XML }),
    aDelivery({ ...windows, id: "win-raw", receivedAt: at(7), headers: { "X-WNS-Type": "wns/raw", "Content-Type": "application/octet-stream", "X-WNS-Priority": "3" },
      body: "raw-payload-bytes" }),
    aDelivery({ ...web, id: "web-notification", receivedAt: at(8), headers: { TTL: "3600", Urgency: "normal" },
      body: JSON.stringify({ title: "New comment", body: "Dana replied to your post" }) }),
    aDelivery({ ...web, id: "web-data", receivedAt: at(9), headers: { TTL: "60" }, body: JSON.stringify({ badgeCount: "3" }) }),
  ];
}

/** One installation per platform (apns, fcmv1, wns, browser) and deliveries of every kind. */
export function createShowcaseView(): FakeEmulatorView {
  const installations = [
    anInstallation({ hub: "contoso", installationId: "ios-1", platform: "apns", userId: "alice", tags: ["$UserId:alice", "beta"] }),
    anInstallation({ hub: "contoso", installationId: "android-1", platform: "fcmv1", userId: "alice", tags: ["$UserId:alice"] }),
    anInstallation({ hub: "contoso", installationId: "win-1", platform: "wns", userId: "bob", tags: ["$UserId:bob"] }),
    anInstallation({
      hub: "contoso", installationId: "web-1", platform: "browser", userId: "bob", tags: ["gnb-app:client-app-1", "gnb-host:notify.contoso.com"],
      pushChannel: { endpoint: "https://push.example.invalid/abc", p256dh: "key", auth: "auth" },
    }),
  ];
  return new FakeEmulatorView(installations, deliveriesOfEachKind());
}
