import { createHash } from "node:crypto";
import { parseTagExpression } from "../../emulator/tag-expression.js";

export const UNS_ID_PLACEHOLDER = "{unsId}";
export const DEFAULT_TAG_TEMPLATE = "$UserId:{unsId}";

/** NH tags: at most 120 characters (NH-TAGS). */
const MAX_TAG_LENGTH = 120;
/** Longest value encodeUserIdForTag returns. */
export const MAX_ENCODED_USER_ID_LENGTH = 64;
const ENCODED_PREFIX = "h-";
const HASH_HEX_LENGTH = 48;

/**
 * Characters valid both in an NH tag (letters, digits, `_ @ # . : -`) and in an installation
 * `userId` (which also allows `=`): the intersection is the tag set.
 */
const SAFE_VALUE = /^[A-Za-z0-9_@#.:-]+$/;
const FIXED_TAG_PART = /^\$?[A-Za-z0-9_@#.:-]*$/;

/**
 * The value that stands for a UNS ID both in the send's tag expression and in device
 * installations (`userId`, or a custom tag): the UNS ID itself when it is 1..64 safe characters
 * and does not start with `h-`; otherwise `h-` + the first 48 hex digits of its UTF-8 SHA-256.
 * The `h-` exclusion keeps the encoding one-to-one.
 */
export function encodeUserIdForTag(unsId: string): string {
  const fits = unsId.length <= MAX_ENCODED_USER_ID_LENGTH && SAFE_VALUE.test(unsId) && !unsId.startsWith(ENCODED_PREFIX);
  if (fits) return unsId;
  return ENCODED_PREFIX + createHash("sha256").update(unsId, "utf8").digest("hex").slice(0, HASH_HEX_LENGTH);
}

/**
 * Throws a plain Error saying what to fix when the template cannot make valid tag expressions:
 * it must contain `{unsId}`, and each tag holding it must stay a valid tag of at most 120
 * characters for the longest encoded value.
 */
export function checkTagTemplate(template: string): void {
  if (!template.includes(UNS_ID_PLACEHOLDER))
    throw new Error(`The tag template '${template}' must contain ${UNS_ID_PLACEHOLDER}, e.g. ${DEFAULT_TAG_TEMPLATE}.`);
  const tokens = template.split(/[\s()!&|]+/).filter((t) => t.includes(UNS_ID_PLACEHOLDER));
  for (const token of tokens) {
    const parts = token.split(UNS_ID_PLACEHOLDER);
    const fixed = parts.join("");
    if (!FIXED_TAG_PART.test(fixed))
      throw new Error(`The tag '${token}' in the tag template may use only letters, digits and _ @ # . : - (and a leading $).`);
    const longest = fixed.length + (parts.length - 1) * MAX_ENCODED_USER_ID_LENGTH;
    if (longest > MAX_TAG_LENGTH)
      throw new Error(`The tag '${token}' in the tag template can reach ${longest} characters; Notification Hubs allows ${MAX_TAG_LENGTH}. Shorten its fixed part.`);
  }
  // The whole template, filled with the longest value, must be an expression NH accepts (the emulator's parser follows NH's grammar).
  const parsed = parseTagExpression(fillTemplate(template, "u".repeat(MAX_ENCODED_USER_ID_LENGTH)));
  if (!parsed.ok)
    throw new Error(`The tag template '${template}' is not a valid Notification Hubs tag expression: ${parsed.error}. Combine tags with &&, || and ! and balanced parentheses, e.g. ${DEFAULT_TAG_TEMPLATE} or (user:{unsId} && !muted).`);
}

/** Every `{unsId}` replaced with `value`; after `$UserId:` and `$InstallationId:` the braces stay (NH spells them `$UserId:{alice}`). */
function fillTemplate(template: string, value: string): string {
  return template.replace(/(\$(?:UserId|InstallationId):)?\{unsId\}/g, (_m, builtIn: string | undefined) => (builtIn ? `${builtIn}{${value}}` : value));
}

const checkedTemplates = new Set<string>();

/**
 * The tag expression for one UNS ID: every `{unsId}` replaced with its encoded value. After the
 * built-in `$UserId:` and `$InstallationId:` prefixes the braces stay, because Notification Hubs
 * spells those tags with literal braces (`$UserId:{alice}`).
 */
export function buildTagExpression(template: string, unsId: string): string {
  if (!checkedTemplates.has(template)) {
    checkTagTemplate(template);
    checkedTemplates.add(template); // one template per bridge: checked once, not per request
  }
  return fillTemplate(template, encodeUserIdForTag(unsId));
}

/** NH allows at most 6 tags in an expression that is not only ORs: the target plus 5 exclusions. */
const MAX_EXCLUDED = 5;

/** `(target) && !$InstallationId:{a} && ...`: the fallback alert skips devices that acknowledged. */
export function excludeInstallations(tagExpression: string, installationIds: string[]): string {
  const usable = installationIds.filter((id) => SAFE_VALUE.test(id) && id.length <= 100).slice(0, MAX_EXCLUDED);
  if (!usable.length) return tagExpression;
  return [`(${tagExpression})`, ...usable.map((id) => `!$InstallationId:{${id}}`)].join(" && ");
}
