import { type HandlerDeps, type NhReply, type NhRequest, parseJsonBody } from "./handler-types.js";
import { applyInstallationPatch } from "./installation-patch.js";
import { parseInstallation, toWireInstallation } from "./installations.js";
import { mediaTypeOf } from "./native-types.js";
import { nhErrors } from "./nh-errors.js";

/** Installations CRUD with the statuses the SDK expects: PUT 200, PATCH 200, GET 200/404, DELETE 204. */
function requireJson(req: NhRequest): unknown {
  const type = mediaTypeOf(req.headers["content-type"] ?? "");
  if (type !== "application/json" && type !== "application/json-patch+json") {
    throw nhErrors.badRequest("The body must be sent as application/json");
  }
  const body = parseJsonBody(req.body);
  if (body === undefined) throw nhErrors.badRequest("The body is not valid JSON");
  return body;
}

function idOf(req: NhRequest): string {
  return req.operation.id ?? "";
}

export function putInstallation(deps: HandlerDeps, req: NhRequest): NhReply {
  const parsed = parseInstallation({ hub: req.operation.hub, installationId: idOf(req), body: requireJson(req), now: deps.now() });
  if (!parsed.ok) throw nhErrors.badRequest(`The installation is invalid: ${parsed.error}`);
  deps.store.putInstallation(parsed.value);
  return { status: 200 };
}

export function patchInstallation(deps: HandlerDeps, req: NhRequest): NhReply {
  const current = deps.store.getInstallation(req.operation.hub, idOf(req));
  if (!current) throw nhErrors.notFound(`Installation '${idOf(req)}' not found`);
  const patched = applyInstallationPatch(current, requireJson(req), deps.now());
  if (!patched.ok) throw nhErrors.badRequest(`The patch is invalid: ${patched.error}`);
  deps.store.putInstallation(patched.value);
  return { status: 200 };
}

export function getInstallation(deps: HandlerDeps, req: NhRequest): NhReply {
  const installation = deps.store.getInstallation(req.operation.hub, idOf(req));
  if (!installation) throw nhErrors.notFound(`Installation '${idOf(req)}' not found`);
  return { status: 200, contentType: "application/json; charset=utf-8", body: JSON.stringify(toWireInstallation(installation)) };
}

/** NH answers 204 whether or not the installation existed. */
export function deleteInstallation(deps: HandlerDeps, req: NhRequest): NhReply {
  deps.store.touchHub(req.operation.hub);
  deps.store.deleteInstallation(req.operation.hub, idOf(req));
  return { status: 204 };
}
