import { z } from "zod";
import { PLATFORMS, type LegacyNotification, type Platform, type Priority } from "./types.js";

/**
 * The retired Graph `notification` resource as legacy callers send it (see docs/legacy-contract.md).
 * Lenient where callers were sloppy (case, numeric strings, unknown properties), strict where
 * Graph was (required title, delay bounds, expiry window).
 */
const DAY_MS = 86_400_000;
export const DEFAULT_EXPIRY_MS = 7 * DAY_MS;
export const MAX_EXPIRY_MS = 30 * DAY_MS;
const INT32_MAX = 2_147_483_647;

const platformName = z
  .string({ message: "must be a string" })
  .transform((s, ctx) => {
    const found = PLATFORMS.find((p) => p === s.trim().toLowerCase());
    if (!found) ctx.addIssue({ code: "custom", message: `'${s}' is not a platform; use Windows, iOS, Android or WebPush` });
    return found as Platform;
  });

const optionalText = (max: number) =>
  z.string({ message: "must be a string" }).max(max, `must be at most ${max} characters`).nullish().transform((v) => v ?? undefined);

const visualContent = z.object(
  {
    title: z.string({ message: "is required (a string)" }).trim().min(1, "is required and must not be empty"),
    body: optionalText(4000),
  },
  { message: "must be an object with a title" },
);

const priority = z
  .string({ message: "must be a string" })
  .nullish()
  .transform((s, ctx): Priority => {
    if (s === undefined || s === null) return "None";
    const v = s.trim().toLowerCase();
    if (v === "high") return "High";
    if (v === "low") return "Low";
    if (v === "none") return "None";
    ctx.addIssue({ code: "custom", message: `'${s}' is not a priority; use None, High or Low` });
    return "None";
  });

const displayTimeToLive = z
  .union([z.number(), z.string()], { message: "must be a number of seconds" })
  .nullish()
  .transform((v, ctx) => {
    if (v === undefined || v === null) return undefined;
    const n = typeof v === "number" ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < 0 || n > INT32_MAX) {
      ctx.addIssue({ code: "custom", message: "must be a whole number of seconds between 0 and 2147483647" });
      return undefined;
    }
    return n;
  });

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const fallbackPolicy = z.object(
  {
    endpointFallback: z.object(
      {
        platformTypes: z.array(platformName, { message: "must be an array" }),
        fallbackDelayInSeconds: z
          .union([z.number(), z.string().regex(/^\s*\d+\s*$/, "must be a number of seconds")], { message: "must be a number of seconds" })
          .transform(Number)
          .pipe(z.number().int("must be a whole number").min(60, "must be at least 60 seconds").max(600, "must be at most 600 seconds")),
        visualContent,
      },
      { message: "must be an object" },
    ),
  },
  { message: "must be an object with endpointFallback" },
);

export const notificationSchema = z.object({
  targetHostName: z.string({ message: "is required (the app's verified domain)" }).trim().min(1, "is required and must not be empty").max(253, "must be at most 253 characters"),
  appNotificationId: optionalText(1024),
  groupName: optionalText(1024),
  targetPolicy: z
    .object({ platformTypes: z.array(platformName, { message: "must be an array of platform names" }).nullish() }, { message: "must be an object" })
    .nullish(),
  payload: z.object(
    {
      rawContent: z.string({ message: "must be a string" }).nullish().transform((v) => v ?? undefined),
      visualContent: visualContent.nullish().transform((v) => v ?? undefined),
    },
    { message: "is required: an object with rawContent and/or visualContent" },
  ),
  displayTimeToLive,
  expirationDateTime: z
    .string({ message: "must be an ISO 8601 date-time string" })
    .regex(isoDateTime, "must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T23:59:00Z")
    .refine((s) => !Number.isNaN(Date.parse(s)), "is not a valid date-time")
    .nullish(),
  priority,
  fallbackPolicy: fallbackPolicy.nullish(),
});

export type ParsedNotification = z.infer<typeof notificationSchema>;

export interface ValidationProblem {
  field: string;
  message: string;
}

/** Unwraps the `{"notification": {...}}` envelope that one older reference page shows. */
export function unwrapEnvelope(body: unknown): unknown {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (!("targetHostName" in o) && o.notification && typeof o.notification === "object" && !Array.isArray(o.notification))
      return o.notification;
  }
  return body;
}

/**
 * Validates a legacy body against the contract and applies Graph's defaults.
 * Returns the normalized notification or the list of problems, each naming its field.
 */
export function validateLegacyNotification(
  body: unknown,
  now: Date,
): { ok: true; value: LegacyNotification } | { ok: false; problems: ValidationProblem[] } {
  const parsed = notificationSchema.safeParse(unwrapEnvelope(body));
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "body", message: i.message })),
    };
  }
  return applyContractRules(parsed.data, now);
}

function applyContractRules(p: ParsedNotification, now: Date) {
  const problems: ValidationProblem[] = [];
  const raw = p.payload.rawContent;
  const visual = p.payload.visualContent;
  if (raw === undefined && visual === undefined)
    problems.push({ field: "payload", message: "must contain rawContent or visualContent" });

  const named = p.targetPolicy?.platformTypes;
  const platforms = named && named.length ? PLATFORMS.filter((x) => named.includes(x)) : [...PLATFORMS];

  let expiresAt = new Date(now.getTime() + DEFAULT_EXPIRY_MS);
  if (p.expirationDateTime) {
    expiresAt = new Date(Date.parse(p.expirationDateTime));
    if (expiresAt.getTime() <= now.getTime())
      problems.push({ field: "expirationDateTime", message: "must be in the future" });
    else if (expiresAt.getTime() - now.getTime() > MAX_EXPIRY_MS)
      problems.push({ field: "expirationDateTime", message: "must be at most 30 days ahead" });
  }

  const fb = p.fallbackPolicy?.endpointFallback;
  if (fb) {
    if (fb.platformTypes.length !== 1 || fb.platformTypes[0] !== "ios")
      problems.push({ field: "fallbackPolicy.endpointFallback.platformTypes", message: "must be exactly [\"iOS\"]: the fallback exists for iOS only" });
    if (!platforms.includes("ios"))
      problems.push({ field: "targetPolicy.platformTypes", message: "must include iOS when fallbackPolicy is set" });
  }
  if (problems.length) return { ok: false as const, problems };

  const value: LegacyNotification = {
    targetHostName: p.targetHostName,
    appNotificationId: p.appNotificationId,
    groupName: p.groupName,
    platforms,
    rawContent: raw,
    visual: visual ? { title: visual.title, ...(visual.body !== undefined ? { body: visual.body } : {}) } : undefined,
    displayTimeToLive: p.displayTimeToLive,
    expiresAt,
    priority: p.priority,
    fallback: fb ? { delaySeconds: fb.fallbackDelayInSeconds, visual: { title: fb.visualContent.title, ...(fb.visualContent.body !== undefined ? { body: fb.visualContent.body } : {}) } } : undefined,
  };
  return { ok: true as const, value };
}

/** One message naming every offending field, for the Graph error body. */
export function describeProblems(problems: ValidationProblem[]): string {
  return `Invalid notification: ${problems.map((p) => `'${p.field}' ${p.message}`).join("; ")}.`;
}
