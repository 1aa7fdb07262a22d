import type { HubStore, NotificationRecord } from "./hub-store.js";
import type { BrowserPushChannel, EmulatorInstallation, RecordedDelivery } from "./model.js";
import { buildDeliveredHeaders } from "./native-delivery.js";
import { PLATFORM_OF_FORMAT, type NativeNotification, type PayloadProblem } from "./native-types.js";
import { evaluateTagExpression, parseTagExpression } from "./tag-expression.js";
import { installationIdTag, userIdTag } from "./tags.js";

export type DeviceHandle = string | BrowserPushChannel;

/** Who a send goes to. Tag expressions are kept as text so a scheduled send can be persisted. */
export type SendTarget =
  | { kind: "tags"; expression: string }
  | { kind: "broadcast" }
  | { kind: "direct" | "batch"; handles: DeviceHandle[] };

export interface PreparedSend {
  hub: string;
  notification: NativeNotification;
  target: SendTarget;
}

export interface DeviceTarget {
  handle: string;
  installation?: EmulatorInstallation;
}

export interface DeviceResult extends DeviceTarget {
  outcome: string;
}

export interface SendContext {
  store: HubStore;
  now: () => Date;
  newId: () => string;
}

function handleText(handle: DeviceHandle): string {
  return typeof handle === "string" ? handle : handle.endpoint;
}

function builtInTagsOf(i: EmulatorInstallation): Set<string> {
  const tags = new Set(i.tags);
  tags.add(installationIdTag(i.installationId));
  if (i.userId !== undefined) tags.add(userIdTag(i.userId));
  return tags;
}

/** Devices a send reaches: installations of the format's platform matching the target. */
export function findDeviceTargets(store: HubStore, send: PreparedSend): DeviceTarget[] {
  const platform = PLATFORM_OF_FORMAT[send.notification.format];
  const candidates = store.listInstallations(send.hub).filter((i) => i.platform === platform);
  const { target } = send;
  const toTarget = (i: EmulatorInstallation): DeviceTarget => ({ handle: handleText(i.pushChannel), installation: i });
  if (target.kind === "broadcast") return candidates.map(toTarget);
  if (target.kind === "tags") {
    const parsed = parseTagExpression(target.expression);
    if (!parsed.ok) return [];
    return candidates.filter((i) => evaluateTagExpression(parsed.expression, builtInTagsOf(i))).map(toTarget);
  }
  return target.handles.map((h) => ({
    handle: handleText(h),
    installation: candidates.find((i) => handleText(i.pushChannel) === handleText(h)),
  }));
}

function baseRecord(send: PreparedSend, id: string, enqueueTime: string): NotificationRecord {
  return {
    id,
    hub: send.hub,
    format: send.notification.format,
    kind: send.target.kind,
    ...(send.target.kind === "tags" ? { tagExpression: send.target.expression } : {}),
    body: send.notification.body,
    state: "Completed",
    enqueueTime,
    outcomes: {},
  };
}

/** Hands the notification to every target device: records what each received and the outcome. */
export function deliverSend(
  ctx: SendContext,
  send: PreparedSend,
  notificationId: string,
  options: { enqueueTime?: string; maxDevices?: number } = {},
): DeviceResult[] {
  const at = ctx.now().toISOString();
  const targets = findDeviceTargets(ctx.store, send).slice(0, options.maxDevices);
  const headers = buildDeliveredHeaders(send.notification);
  const deliveries = targets.map<RecordedDelivery>((t) => ({
    id: ctx.newId(),
    hub: send.hub,
    notificationId,
    ...(t.installation ? { installationId: t.installation.installationId } : {}),
    deviceHandle: t.handle,
    ...(t.installation?.userId !== undefined ? { userId: t.installation.userId } : {}),
    platform: PLATFORM_OF_FORMAT[send.notification.format],
    format: send.notification.format,
    headers: { ...headers },
    body: send.notification.body,
    receivedAt: at,
  }));
  ctx.store.recordDeliveries(deliveries);
  const record = baseRecord(send, notificationId, options.enqueueTime ?? at);
  ctx.store.saveNotification({
    ...record,
    state: targets.length > 0 ? "Completed" : "NoTargetFound",
    startTime: at,
    endTime: at,
    outcomes: targets.length > 0 ? { Success: targets.length } : {},
  });
  return targets.map((t) => ({ ...t, outcome: "Success" }));
}

/** Records a send whose payload the platform would refuse: every target counts as a failure. */
export function recordRejectedSend(ctx: SendContext, send: PreparedSend, notificationId: string, problem: PayloadProblem): void {
  const at = ctx.now().toISOString();
  const count = findDeviceTargets(ctx.store, send).length;
  ctx.store.saveNotification({
    ...baseRecord(send, notificationId, at),
    state: count > 0 ? "Completed" : "NoTargetFound",
    startTime: at,
    endTime: at,
    outcomes: count > 0 ? { [problem.outcome]: count } : {},
    rejection: problem.message,
  });
}

/** A scheduled send waits with state Scheduled until the scheduler fires it. */
export function recordScheduledSend(ctx: SendContext, send: PreparedSend, notificationId: string, dueAt: Date): void {
  ctx.store.saveNotification({
    ...baseRecord(send, notificationId, ctx.now().toISOString()),
    state: "Scheduled",
    scheduledFor: dueAt.toISOString(),
  });
}
