/** What the mapping needs beyond the notification itself. */
export interface MappingContext {
  /** Notification Hubs tag expression every send targets (see ../targeting.ts). */
  tagExpression: string;
  /** How the iOS raw-with-visual fallback is honoured (docs/mapping.md, "The iOS fallback"). */
  iosFallbackMode: "immediate" | "deferred";
  /** Secret the client echoes to acknowledge a raw push; only the outbox mode has one. */
  ackToken?: string;
  /** The instant the sends are planned; relative lifetimes (TTLs) count from here. */
  now: Date;
}
