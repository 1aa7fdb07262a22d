import type { AccessRight } from "./keys.js";
import { NhError, nhErrors } from "./nh-errors.js";

/**
 * The NH REST operations the emulator serves, resolved from method + path the way the SDK
 * builds them (`{hub}/installations/{id}`, `{hub}/messages/`, `{hub}/messages/$batch`,
 * `{hub}/messages/{id}`, `{hub}/schedulednotifications/[{id}]`).
 */
export type OperationName =
  | "putInstallation"
  | "patchInstallation"
  | "getInstallation"
  | "deleteInstallation"
  | "send"
  | "batchSend"
  | "getNotificationOutcome"
  | "scheduleSend"
  | "cancelScheduledSend";

export interface Operation {
  name: OperationName;
  hub: string;
  id?: string;
  /** Listen may manage installations; everything else needs Send (NH claims). */
  right: AccessRight;
}

const INSTALLATION_OPS: Record<string, OperationName> = {
  PUT: "putInstallation",
  PATCH: "patchInstallation",
  GET: "getInstallation",
  DELETE: "deleteInstallation",
};

/** Real NH features deliberately left out; they answer 501 rather than a vague 400. */
const NOT_IMPLEMENTED: Record<string, string> = {
  registrations: "The registrations API",
  registrationids: "The registrations API",
  tags: "Listing registrations by tag",
  jobs: "Import/export jobs",
  feedbackcontainer: "The PNS feedback container",
};

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function resolveOperation(method: string, pathname: string): Operation | NhError {
  const unknown = nhErrors.notSupported(`The operation ${method} ${pathname}`);
  const segments = decodeSegments(pathname);
  if (!segments || segments.length < 2 || segments[0] === "") return unknown;
  const [hub, collection, id, ...rest] = segments;
  if (rest.length > 0) return unknown;
  const tail = id === undefined || id === "" ? undefined : id;
  const key = collection.toLowerCase();
  if (Object.hasOwn(NOT_IMPLEMENTED, key)) return nhErrors.notImplemented(NOT_IMPLEMENTED[key]);
  if (collection === "installations" && tail !== undefined && Object.hasOwn(INSTALLATION_OPS, method)) {
    return { name: INSTALLATION_OPS[method], hub, id: tail, right: "Listen" };
  }
  if (collection === "messages") {
    if (method === "POST" && tail === undefined) return { name: "send", hub, right: "Send" };
    if (method === "POST" && tail === "$batch") return { name: "batchSend", hub, right: "Send" };
    if (method === "GET" && tail !== undefined) return { name: "getNotificationOutcome", hub, id: tail, right: "Send" };
  }
  if (collection === "schedulednotifications") {
    if (method === "POST" && tail === undefined) return { name: "scheduleSend", hub, right: "Send" };
    if (method === "DELETE" && tail !== undefined) return { name: "cancelScheduledSend", hub, id: tail, right: "Send" };
  }
  return unknown;
}
