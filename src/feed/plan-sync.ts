import { mapFeedSync } from "../delivery/hubs/mapping/feed-sync.js";
import { buildTagExpression } from "../delivery/hubs/targeting.js";
import type { ChangeFeedStateInput } from "../store/feed.js";

export type PlanSync = NonNullable<ChangeFeedStateInput["planSync"]>;

/**
 * The outbox deliveries of one state change: the silent sync pushes to the user's devices but
 * the one that made it, due now. They target what the notification itself targeted (its primary
 * send's tag expression), or the tag template for the user when that is unknown.
 */
export function createSyncPlanner(o: { tagTemplate: string; newId: () => string }) {
  return (c: { unsId: string; originInstallationId?: string; now: Date }): PlanSync => (changed) => {
    const tagExpression = changed[0]?.tagExpression ?? buildTagExpression(o.tagTemplate, c.unsId);
    return mapFeedSync(changed, { tagExpression, originInstallationId: c.originInstallationId, now: c.now })
      .map((send) => ({ id: o.newId(), platform: send.platform, purpose: send.purpose, send, dueAt: c.now }));
  };
}

export type SyncPlanner = ReturnType<typeof createSyncPlanner>;
