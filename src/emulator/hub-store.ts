import type { DeliveryFilter, EmulatorInstallation, EmulatorView, RecordedDelivery } from "./model.js";
import type { SendFormat } from "./native-types.js";

/** What the emulator remembers of one send, for `GET {hub}/messages/{id}` and the control API. */
export interface NotificationRecord {
  id: string;
  hub: string;
  format: SendFormat;
  kind: "tags" | "broadcast" | "direct" | "batch";
  tagExpression?: string;
  body: string;
  state: "Scheduled" | "Completed" | "NoTargetFound" | "Canceled";
  enqueueTime: string;
  startTime?: string;
  endTime?: string;
  scheduledFor?: string;
  /** Outcome name (Success, InvalidNotificationFormat...) to device count. */
  outcomes: Record<string, number>;
  /** Why the emulator refused the payload (the send answered 400). */
  rejection?: string;
}

export interface StoredState {
  version: 1;
  installations: EmulatorInstallation[];
  deliveries: RecordedDelivery[];
  notifications: NotificationRecord[];
  hubs: string[];
}

/** Deliveries kept in memory by default; the oldest are dropped first. */
export const MAX_DELIVERIES = 10_000;
/** Send records kept per hub; the oldest are dropped first. */
export const MAX_NOTIFICATIONS_PER_HUB = 5_000;

/** In-memory state of every hub; the read side is the viewer's EmulatorView. */
export class HubStore implements EmulatorView {
  private readonly hubs = new Set<string>();
  private readonly installations = new Map<string, Map<string, EmulatorInstallation>>();
  private readonly notifications = new Map<string, Map<string, NotificationRecord>>();
  private deliveries: RecordedDelivery[] = [];
  private dropped = 0;

  constructor(
    private readonly onChange: () => void = () => {},
    private readonly maxDeliveries = MAX_DELIVERIES,
  ) {}

  touchHub(hub: string): void {
    if (this.hubs.has(hub)) return;
    this.hubs.add(hub);
    this.onChange();
  }

  putInstallation(installation: EmulatorInstallation): void {
    this.touchHub(installation.hub);
    this.mapOf(this.installations, installation.hub).set(installation.installationId, installation);
    this.onChange();
  }

  getInstallation(hub: string, installationId: string): EmulatorInstallation | undefined {
    return this.installations.get(hub)?.get(installationId);
  }

  deleteInstallation(hub: string, installationId: string): void {
    if (this.installations.get(hub)?.delete(installationId)) this.onChange();
  }

  saveNotification(record: NotificationRecord): void {
    this.touchHub(record.hub);
    const records = this.mapOf(this.notifications, record.hub);
    records.set(record.id, record);
    if (records.size > MAX_NOTIFICATIONS_PER_HUB) records.delete(records.keys().next().value as string);
    this.onChange();
  }

  getNotification(hub: string, id: string): NotificationRecord | undefined {
    return this.notifications.get(hub)?.get(id);
  }

  listNotifications(hub: string): NotificationRecord[] {
    return [...(this.notifications.get(hub)?.values() ?? [])];
  }

  recordDeliveries(deliveries: RecordedDelivery[]): void {
    if (deliveries.length === 0) return;
    this.deliveries.push(...deliveries);
    this.trimDeliveries();
    this.onChange();
  }

  /** Forgets a hub's installations, sends and deliveries (control API reset). */
  resetHub(hub: string): void {
    this.hubs.delete(hub);
    this.installations.delete(hub);
    this.notifications.delete(hub);
    this.deliveries = this.deliveries.filter((d) => d.hub !== hub);
    this.onChange();
  }

  listHubs(): string[] {
    return [...this.hubs].sort();
  }

  listInstallations(hub?: string): EmulatorInstallation[] {
    const hubs = hub === undefined ? [...this.installations.values()] : [this.installations.get(hub) ?? new Map()];
    return hubs.flatMap((m) => [...m.values()]);
  }

  /** Oldest first; every given filter field must match exactly. */
  listDeliveries(filter: DeliveryFilter = {}): RecordedDelivery[] {
    const wanted = Object.entries(filter).filter(([, v]) => v !== undefined) as [keyof RecordedDelivery, string][];
    return this.deliveries.filter((d) => wanted.every(([key, value]) => d[key] === value));
  }

  snapshot(): StoredState {
    return {
      version: 1,
      hubs: this.listHubs(),
      installations: this.listInstallations(),
      deliveries: [...this.deliveries],
      notifications: [...this.notifications.values()].flatMap((m) => [...m.values()]),
    };
  }

  restore(state: StoredState): void {
    state.hubs.forEach((h) => this.hubs.add(h));
    for (const i of state.installations) this.mapOf(this.installations, i.hub).set(i.installationId, i);
    for (const n of state.notifications) this.mapOf(this.notifications, n.hub).set(n.id, n);
    this.deliveries = [...state.deliveries];
    this.trimDeliveries();
  }

  /** How many recorded deliveries were dropped (oldest first) to keep at most maxDeliveries. */
  droppedDeliveries(): number {
    return this.dropped;
  }

  private trimDeliveries(): void {
    const excess = this.deliveries.length - this.maxDeliveries;
    if (excess <= 0) return;
    this.deliveries = this.deliveries.slice(excess);
    this.dropped += excess;
  }

  private mapOf<T>(maps: Map<string, Map<string, T>>, hub: string): Map<string, T> {
    let map = maps.get(hub);
    if (!map) maps.set(hub, (map = new Map()));
    return map;
  }
}
