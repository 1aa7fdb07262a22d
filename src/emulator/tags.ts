/**
 * Tag syntax (learn.microsoft.com/azure/notification-hubs/notification-hubs-tags-segment-push-message):
 * up to 120 characters, alphanumeric plus `_ @ # . : -`. Installations carry at most 60.
 * Built-in tags name an installation or user: `$InstallationId:{id}`, `$UserId:{id}` (braces literal).
 */
export const MAX_TAG_LENGTH = 120;
export const MAX_TAGS_PER_INSTALLATION = 60;

const TAG = /^[A-Za-z0-9_@#.:-]+$/;
const BUILT_IN = /^\$(InstallationId|UserId):\{[^{}]+\}$/;

export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= MAX_TAG_LENGTH && TAG.test(tag);
}

export function isBuiltInTag(tag: string): boolean {
  return BUILT_IN.test(tag);
}

export function installationIdTag(installationId: string): string {
  return `$InstallationId:{${installationId}}`;
}

export function userIdTag(userId: string): string {
  return `$UserId:{${userId}}`;
}

/** Why a tag list cannot be stored, or undefined when it can. */
export function findTagListProblem(tags: readonly string[]): string | undefined {
  const bad = tags.find((t) => !isValidTag(t));
  if (bad !== undefined) {
    return `The tag '${bad}' is invalid: tags are 1-${MAX_TAG_LENGTH} characters of letters, digits and _ @ # . : -`;
  }
  if (new Set(tags).size > MAX_TAGS_PER_INSTALLATION) {
    return `An installation can have at most ${MAX_TAGS_PER_INSTALLATION} tags`;
  }
  return undefined;
}
