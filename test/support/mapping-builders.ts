import type { AcceptedNotification } from "../../src/legacy/types.js";
import type { NativeSend } from "../../src/delivery/native-send.js";
import type { MappingContext } from "../../src/delivery/hubs/mapping/context.js";

export const FIXED_NOW = new Date("2030-01-01T00:00:00.000Z");
const DAY_MS = 86_400_000;

/** A visual notification to every platform, expiring one day after FIXED_NOW. */
export function aNotification(overrides: Partial<AcceptedNotification> = {}): AcceptedNotification {
  return {
    id: "0f8fad5b-d9cb-469f-a165-70867728950e",
    unsId: "uns-1",
    createdAt: FIXED_NOW,
    targetHostName: "app.example.com",
    appNotificationId: "order42",
    platforms: ["windows", "ios", "android", "webpush"],
    visual: { title: "Hello", body: "World" },
    expiresAt: new Date(FIXED_NOW.getTime() + DAY_MS),
    priority: "None",
    ...overrides,
  };
}

/** Raw-only variant of aNotification. */
export function aRawNotification(overrides: Partial<AcceptedNotification> = {}): AcceptedNotification {
  return aNotification({ visual: undefined, rawContent: "{\"orderId\":42}", ...overrides });
}

export function aContext(overrides: Partial<MappingContext> = {}): MappingContext {
  return { tagExpression: "$UserId:uns-1", iosFallbackMode: "immediate", now: FIXED_NOW, ...overrides };
}

/** The JSON body of a send, parsed. */
export function parseBody(send: NativeSend): Record<string, unknown> {
  return JSON.parse(send.body) as Record<string, unknown>;
}
