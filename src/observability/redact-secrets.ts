/** Placeholder written wherever a secret was removed. */
export const REDACTED = "[REDACTED]";

// Each rule keeps the key (so the line stays readable) and masks the value up to the next delimiter.
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // NH / Service Bus connection strings: Endpoint=...;SharedAccessKeyName=...;SharedAccessKey=<key>
  [/\b(SharedAccessKey|AccountKey)=[^;&\s"']+/gi, `$1=${REDACTED}`],
  // SAS tokens and pre-signed URLs: ...&sig=<signature>&se=...
  [/\bsig=[^&;\s"']+/gi, `sig=${REDACTED}`],
  [/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, `Bearer ${REDACTED}`],
  // OAuth form bodies and their JSON echoes: client_secret=..., "access_token":"..."
  [
    /\b(client_secret|client_assertion|access_token|refresh_token|id_token|password)("?\s*[:=]\s*"?)[^&\s"',;]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Credentials embedded in URLs, e.g. DATABASE_URL=postgres://user:password@host/db
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
];

// One cheap test that every secret above would pass; most log strings fail it and skip the rules.
const MIGHT_HOLD_SECRET = /key=|sig=|bearer|client_|_token|password|:\/\/[^/\s@]*@/i;

/** Masks SAS keys, signatures, bearer tokens, OAuth secrets and URL passwords inside free text. */
export function redactSecrets(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Redacts plain objects and arrays: values under `secretKeys` (lower-case names, any depth) become
 * REDACTED and every other string goes through {@link redactSecrets}. Returns the input itself when
 * nothing changed, a copy otherwise; never mutates. Class instances (Errors, Buffers) are left
 * alone: errors go through the logger's `err` serializer.
 */
export function redactSecretsDeep(value: unknown, secretKeys: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSecretsDeep(item, secretKeys, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const cleaned =
      item !== undefined && secretKeys.has(key.toLowerCase()) ? REDACTED : redactSecretsDeep(item, secretKeys, depth + 1);
    if (cleaned !== item) copy ??= { ...(value as Record<string, unknown>) };
    if (copy) copy[key] = cleaned;
  }
  return copy ?? value;
}
