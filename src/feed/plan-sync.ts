import { mapFeedSync } from "../delivery/hubs/mapping/feed-sync.js";
import { buildTagExpression } from "../delivery/hubs/targeting.js";
import type { ChangedFeedItem, ChangeFeedStateInput, SyncTarget } from "../store/feed.js";

export type PlanSync = NonNullable<ChangeFeedStateInput["planSync"]>;

/**
 * The changed items by where their sync pushes go, in the order they came; items whose
 * notification went to Graph or a dry run (no sync target) are left out.
 */
export function groupBySyncTarget(changed: ChangedFeedItem[]): Array<{ target: SyncTarget; items: ChangedFeedItem[] }> {
  const groups = new Map<string, { target: SyncTarget; items: ChangedFeedItem[] }>();
  for (const item of changed) {
    if (!item.syncTarget) continue;
    const key = JSON.stringify([item.syncTarget.destination ?? null, item.syncTarget.tagExpression ?? null]);
    const group = groups.get(key) ?? { target: item.syncTarget, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The outbox deliveries of one state change: the silent sync pushes to the user's devices but
 * the one that made it, due now. They go where the notification itself went: its primary main
 * delivery's destination (ROUTING_FILE) and tag expression, or the tag template for the user when
 * that is unknown. Items sent to different places get pushes of their own.
 */
export function createSyncPlanner(o: { tagTemplate: string; newId: () => string }) {
  return (c: { unsId: string; originInstallationId?: string; now: Date }): PlanSync => (changed) =>
    groupBySyncTarget(changed).flatMap(({ target, items }) => {
      const tagExpression = target.tagExpression ?? buildTagExpression(o.tagTemplate, c.unsId);
      const routed = target.destination === undefined ? {} : { destination: target.destination, role: "main" as const };
      return mapFeedSync(items, { tagExpression, originInstallationId: c.originInstallationId, now: c.now }).map((send) => ({
        id: o.newId(), notificationId: items[0].id, platform: send.platform, purpose: send.purpose,
        send: target.destination === undefined ? send : { ...send, destination: target.destination }, dueAt: c.now, ...routed,
      }));
    });
}

export type SyncPlanner = ReturnType<typeof createSyncPlanner>;
