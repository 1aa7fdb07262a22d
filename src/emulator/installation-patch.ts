import type { BrowserPushChannel, EmulatorInstallation } from "./model.js";
import { type Checked, findInstallationProblem } from "./installations.js";
import { isPlainObject } from "./native-types.js";

/**
 * JSON-Patch (RFC 6902) as NH applies it to installations
 * (learn.microsoft.com/rest/api/notificationhubs/update-installation): add/remove/replace on
 * /tags, /tags/{tag}, /userId, /pushChannel and /templates/{name}.
 */
interface PatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: unknown;
}

function parseOperations(body: unknown): Checked<PatchOperation[]> {
  if (!Array.isArray(body) || body.length === 0) return { ok: false, error: "the body must be a non-empty JSON-Patch array" };
  for (const op of body) {
    if (!isPlainObject(op) || !["add", "remove", "replace"].includes(op.op as string) || typeof op.path !== "string") {
      return { ok: false, error: "each patch needs op (add, remove or replace) and a path" };
    }
  }
  return { ok: true, value: body as PatchOperation[] };
}

function tagsOf(value: unknown): string[] | undefined {
  if (typeof value === "string") return value.split(",").map((t) => t.trim()).filter((t) => t !== "");
  if (Array.isArray(value) && value.every((t) => typeof t === "string")) return value;
  return undefined;
}

function parseTemplate(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function applyTags(i: EmulatorInstallation, op: PatchOperation, tag: string | undefined): string | undefined {
  if (op.op === "remove") {
    i.tags = tag === undefined ? [] : i.tags.filter((t) => t !== tag);
    return undefined;
  }
  const tags = tag !== undefined ? [tag] : tagsOf(op.value);
  if (!tags) return "the value of a /tags patch must be a tag or an array of tags";
  i.tags = op.op === "replace" && tag === undefined ? [...new Set(tags)] : [...new Set([...i.tags, ...tags])];
  return undefined;
}

function applyOne(i: EmulatorInstallation, op: PatchOperation): string | undefined {
  const [, field, name, ...rest] = op.path.split("/");
  if (rest.length > 0) return `the patch path '${op.path}' is not supported by the emulator`;
  const member = name === undefined ? undefined : decodeURIComponent(name);
  if (field === "tags") return applyTags(i, op, member);
  if (field === "templates" && member !== undefined) {
    const templates = { ...(i.templates ?? {}) };
    if (op.op === "remove") delete templates[member];
    else templates[member] = parseTemplate(op.value);
    i.templates = templates;
    return undefined;
  }
  if (field === "userId" && member === undefined) {
    if (op.op === "remove") delete i.userId;
    else if (typeof op.value === "string") i.userId = op.value;
    else return "the value of a /userId patch must be a string";
    return undefined;
  }
  if (field === "pushChannel" && member === undefined) {
    if (op.op === "remove") return "the pushChannel cannot be removed";
    i.pushChannel = (typeof op.value === "string" && i.platform === "browser" ? parseTemplate(op.value) : op.value) as
      | string
      | BrowserPushChannel;
    return undefined;
  }
  return `the patch path '${op.path}' is not supported by the emulator`;
}

export function applyInstallationPatch(current: EmulatorInstallation, body: unknown, now: Date): Checked<EmulatorInstallation> {
  const operations = parseOperations(body);
  if (!operations.ok) return operations;
  const next: EmulatorInstallation = { ...current, tags: [...current.tags] };
  for (const op of operations.value) {
    const error = applyOne(next, op);
    if (error) return { ok: false, error };
  }
  next.lastUpdate = now.toISOString();
  const problem = findInstallationProblem(next);
  return problem ? { ok: false, error: problem } : { ok: true, value: next };
}
