import type { Platform } from "../../../legacy/types.js";

/**
 * Largest body each platform accepts, in UTF-8 bytes of what the bridge hands Notification Hubs.
 * Web Push: RFC 8030 push services accept 4096 bytes of *encrypted* message; RFC 8291 aes128gcm
 * leaves 3993 bytes of plaintext (86-byte header, 16-byte tag, 1 padding delimiter).
 */
export const PAYLOAD_LIMITS: Record<Platform, number> = {
  ios: 4096,
  android: 4096,
  windows: 5000,
  webpush: 3993,
};

/** A native payload would exceed its platform's limit; the API answers 400 rather than truncating. */
export class PayloadTooLargeError extends Error {
  readonly platform: Platform;
  readonly size: number;
  readonly limit: number;

  constructor(platform: Platform, size: number, limit: number) {
    super(`The ${platform} payload would be ${size} bytes; the limit is ${limit}.`);
    this.name = "PayloadTooLargeError";
    this.platform = platform;
    this.size = size;
    this.limit = limit;
  }
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function fitsLimit(platform: Platform, body: string): boolean {
  return byteLength(body) <= PAYLOAD_LIMITS[platform];
}

/** Returns the body unchanged when it fits, throws PayloadTooLargeError otherwise. */
export function checkPayloadSize(platform: Platform, body: string): string {
  const size = byteLength(body);
  if (size > PAYLOAD_LIMITS[platform]) throw new PayloadTooLargeError(platform, size, PAYLOAD_LIMITS[platform]);
  return body;
}
