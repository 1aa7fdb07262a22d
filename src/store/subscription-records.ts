import type { BrowserChannel, InstallationPlatform, InstallationRecord, SubscriptionRecord } from "./subscription-store.js";

/** A row as either driver returns it: pg hands BIGINT back as a string, SQLite as a number. */
type Row = Record<string, unknown>;

const ms = (v: unknown): Date => new Date(typeof v === "number" ? v : Number(v));

export function toSubscriptionRecord(r: Row): SubscriptionRecord {
  return {
    id: String(r.id),
    kind: String(r.kind) as SubscriptionRecord["kind"],
    primaryId: String(r.primary_id),
    tenantId: String(r.tenant_id),
    userObjectId: String(r.user_object_id),
    targetHostName: String(r.target_host_name),
    createdAt: ms(r.created_at),
  };
}

export function toInstallationRecord(r: Row): InstallationRecord {
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    userObjectId: String(r.user_object_id),
    appId: String(r.app_id),
    targetHostName: String(r.target_host_name),
    subscriptionId: String(r.subscription_id),
    platform: String(r.platform) as InstallationPlatform,
    pushChannel: JSON.parse(String(r.push_channel)) as string | BrowserChannel,
    createdAt: ms(r.created_at),
    updatedAt: ms(r.updated_at),
    expiresAt: ms(r.expires_at),
  };
}

/** Installation columns in insert order, with their values; shared so both backends write the same. */
export const INSTALLATION_COLUMNS = [
  "id", "tenant_id", "user_object_id", "app_id", "target_host_name", "subscription_id", "platform", "push_channel",
  "created_at", "updated_at", "expires_at",
] as const;

export const installationValues = (i: InstallationRecord): unknown[] => [
  i.id, i.tenantId, i.userObjectId, i.appId, i.targetHostName, i.subscriptionId, i.platform, JSON.stringify(i.pushChannel),
  i.createdAt.getTime(), i.updatedAt.getTime(), i.expiresAt.getTime(),
];

/** What an upsert may change on an existing row: everything but the id, the owner and the creation time. */
export const INSTALLATION_UPDATES = ["app_id", "target_host_name", "subscription_id", "platform", "push_channel", "updated_at", "expires_at"] as const;
