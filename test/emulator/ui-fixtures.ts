import type { DeliveryFilter, EmulatorInstallation, EmulatorView, RecordedDelivery } from "../../src/emulator/model.js";

export function anInstallation(overrides: Partial<EmulatorInstallation> = {}): EmulatorInstallation {
  return {
    hub: "hub-a",
    installationId: "inst-ios",
    platform: "apns",
    pushChannel: "a1b2c3d4",
    tags: ["$UserId:alice"],
    userId: "alice",
    lastUpdate: "2025-01-01T10:00:00.000Z",
    expirationTime: "9999-12-31T23:59:59.999Z",
    ...overrides,
  };
}

export function aDelivery(overrides: Partial<RecordedDelivery> = {}): RecordedDelivery {
  return {
    id: "d-1",
    hub: "hub-a",
    notificationId: "n-1",
    installationId: "inst-ios",
    deviceHandle: "a1b2c3d4",
    userId: "alice",
    platform: "apns",
    format: "apple",
    headers: { "apns-push-type": "alert", "apns-priority": "10" },
    body: JSON.stringify({ aps: { alert: { title: "Hello", body: "World" } } }),
    receivedAt: "2025-01-01T10:00:00.000Z",
    ...overrides,
  };
}

/** In-memory EmulatorView with the filter semantics the core documents; remembers the filters asked for. */
export class FakeEmulatorView implements EmulatorView {
  readonly deliveryFilters: (DeliveryFilter | undefined)[] = [];

  constructor(
    readonly installations: EmulatorInstallation[] = [],
    readonly deliveries: RecordedDelivery[] = [],
    readonly hubs: string[] = [],
  ) {}

  listHubs(): string[] {
    const all = [...this.hubs, ...this.installations.map((i) => i.hub)];
    return [...new Set(all)].sort();
  }

  listInstallations(hub?: string): EmulatorInstallation[] {
    return this.installations.filter((i) => hub === undefined || i.hub === hub);
  }

  listDeliveries(filter?: DeliveryFilter): RecordedDelivery[] {
    this.deliveryFilters.push(filter);
    return this.deliveries.filter((d) =>
      Object.entries(filter ?? {}).every(([name, value]) => value === undefined || d[name as keyof RecordedDelivery] === value),
    );
  }

  /** What droppedDeliveries() answers. */
  dropped = 0;

  droppedDeliveries(): number {
    return this.dropped;
  }
}
