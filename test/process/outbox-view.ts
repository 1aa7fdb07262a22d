import { setTimeout as delay } from "node:timers/promises";

/** A delivery as the operator endpoint shows it (src/http/routes/status.ts deliveryView). */
export interface DeliveryView {
  id: string;
  notificationId: string;
  platform: string;
  state: string;
  attempts: number;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every delivery of the store, paged through GET /bridge/deliveries (open with AUTH_MODE=none). */
export async function listAllDeliveries(bridgeUrl: string, state?: string): Promise<DeliveryView[]> {
  const all: DeliveryView[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams({ limit: "1000" });
    if (state) q.set("state", state);
    if (after) q.set("after", after);
    const body: { value: DeliveryView[]; nextAfter: string | null } = await getJson(`${bridgeUrl}/bridge/deliveries?${q}`);
    all.push(...body.value);
    after = body.nextAfter;
    if (!after) return all;
  }
  throw new Error("more than 100 pages of deliveries");
}

/** Polls until no delivery is pending or retrying; returns how long it took. */
export async function waitForOutboxDrained(bridgeUrl: string, deadlineMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [pending, retrying] = await Promise.all([
      getJson<{ value: unknown[] }>(`${bridgeUrl}/bridge/deliveries?state=pending&limit=1`),
      getJson<{ value: unknown[] }>(`${bridgeUrl}/bridge/deliveries?state=retrying&limit=1`),
    ]);
    if (pending.value.length === 0 && retrying.value.length === 0) return Date.now() - started;
    if (Date.now() - started > deadlineMs) throw new Error(`outbox not drained within ${deadlineMs} ms`);
    await delay(100);
  }
}

/** Groups the store's deliveries by notification, for checking that every accepted one was sent. */
export function statesByNotification(deliveries: DeliveryView[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const d of deliveries) byId.set(d.notificationId, [...(byId.get(d.notificationId) ?? []), `${d.platform}:${d.state}`]);
  return byId;
}
