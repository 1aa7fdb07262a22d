import { createHash } from "node:crypto";
import type { Caller } from "./types.js";

/**
 * A stable, non-reversible stand-in for an identifier that points at a person (X-UNS-ID, a user's
 * oid): enough to correlate log lines, useless for targeting anyone. 16 hex chars = 64 bits.
 */
export function hashIdentifier(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex").slice(0, 16);
}

/** What may be logged about a caller: app and tenant ids in clear, the user only as a hash. */
export function callerLogFields(caller: Caller): Record<string, string> {
  switch (caller.kind) {
    case "app":
      return { callerKind: "app", appId: caller.appId, tenantId: caller.tenantId };
    case "delegated":
      return { callerKind: "delegated", appId: caller.appId, tenantId: caller.tenantId, userHash: hashIdentifier(caller.userObjectId) };
    case "anonymous":
      return { callerKind: "anonymous" };
  }
}

