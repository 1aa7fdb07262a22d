/**
 * The emulator's two shared access policies and their well-known development keys. Like
 * Azurite's account key, the defaults are public on purpose: never use them outside a dev box.
 */
export const FULL_KEY_NAME = "DefaultFullSharedAccessSignature";
export const LISTEN_KEY_NAME = "DefaultListenSharedAccessSignature";

/** base64("EmulatorFullAccessKey-NotASecret"). */
export const DEFAULT_FULL_KEY = "RW11bGF0b3JGdWxsQWNjZXNzS2V5LU5vdEFTZWNyZXQ=";
/** base64("EmulatorListenAccessKey-NotSecret"). */
export const DEFAULT_LISTEN_KEY = "RW11bGF0b3JMaXN0ZW5BY2Nlc3NLZXktTm90U2VjcmV0";

export type AccessRight = "Listen" | "Send" | "Manage";
export type KeyKind = "full" | "listen";

export interface SharedAccessPolicy {
  name: string;
  key: string;
  rights: readonly AccessRight[];
}

export function buildPolicies(fullKey: string, listenKey: string): Record<KeyKind, SharedAccessPolicy> {
  return {
    full: { name: FULL_KEY_NAME, key: fullKey, rights: ["Listen", "Send", "Manage"] },
    listen: { name: LISTEN_KEY_NAME, key: listenKey, rights: ["Listen"] },
  };
}

/**
 * `Endpoint=http://127.0.0.1:10110/;SharedAccessKeyName=...;SharedAccessKey=...`. The SDK only
 * rewrites `sb://` to `https://`, so an `http://` endpoint is used as is.
 */
export function buildConnectionString(baseUrl: string, policy: SharedAccessPolicy): string {
  const endpoint = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return `Endpoint=${endpoint};SharedAccessKeyName=${policy.name};SharedAccessKey=${policy.key}`;
}
