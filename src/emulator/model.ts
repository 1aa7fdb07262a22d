/**
 * Shared shapes of the Notification Hubs emulator: what it stores and what it records as received
 * by devices. The REST side (src/emulator/*) writes them; the viewer (src/emulator/ui/*) reads them.
 */

/** Installation platforms as the SDK and REST API name them (lower-cased). */
export type InstallationPlatform = "apns" | "fcmv1" | "gcm" | "wns" | "browser" | "adm" | "baidu" | "xiaomi";

export interface BrowserPushChannel {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface EmulatorInstallation {
  hub: string;
  installationId: string;
  platform: InstallationPlatform;
  pushChannel: string | BrowserPushChannel;
  tags: string[];
  userId?: string;
  templates?: Record<string, unknown>;
  lastUpdate: string;
  expirationTime: string;
}

/** One notification as a device received it: the exact native headers and body NH would hand the PNS. */
export interface RecordedDelivery {
  id: string;
  hub: string;
  /** The NH notification id of the send that produced it. */
  notificationId: string;
  installationId?: string;
  /** For direct sends without an installation: the device handle (or browser endpoint). */
  deviceHandle: string;
  userId?: string;
  platform: InstallationPlatform;
  /** ServiceBusNotification-Format of the send. */
  format: string;
  /** Native headers that reach the platform (apns-*, X-WNS-*, TTL, Urgency, Topic, Content-Type...). */
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

export interface DeliveryFilter {
  hub?: string;
  installationId?: string;
  userId?: string;
  platform?: string;
  notificationId?: string;
}

/** Read-only view the emulator's web page and JSON listing are built on. */
export interface EmulatorView {
  listHubs(): string[];
  listInstallations(hub?: string): EmulatorInstallation[];
  listDeliveries(filter?: DeliveryFilter): RecordedDelivery[];
  /** Recorded deliveries dropped, oldest first, beyond the emulator's maxDeliveries. */
  droppedDeliveries(): number;
}
