import { describe, expect, it } from "vitest";
import type { JWTPayload } from "jose";
import { AppError } from "../../src/errors.js";
import { readBearerToken } from "../../src/auth/bearer-token.js";
import { checkTenantAndIssuer, classifyCaller } from "../../src/auth/entra-claims.js";
import { restoreSignedGraphHeader } from "../../src/auth/graph-nonce.js";
import { rejectInvalidToken } from "../../src/auth/token-errors.js";
import { APP_ID, OTHER_TENANT, TENANT, USER_OID, appClaims, delegatedClaims, encodePart } from "./fake-entra.js";

const allowed = new Set([TENANT]);
const thrown = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected an AppError");
};

describe("checkTenantAndIssuer", () => {
  it.each([`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`])("accepts %s", (iss) => {
    expect(checkTenantAndIssuer({ iss, tid: TENANT }, allowed)).toBe(TENANT);
  });

  it("compares tenant ids case-insensitively", () => {
    expect(checkTenantAndIssuer({ iss: `https://sts.windows.net/${TENANT.toUpperCase()}/`, tid: TENANT.toUpperCase() }, allowed)).toBe(TENANT);
  });

  it.each([
    ["no tid", { iss: `https://sts.windows.net/${TENANT}/` }, /tenant is not allowed/],
    ["another tid", { iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT }, /tenant is not allowed/],
    ["v2 issuer without /v2.0", { iss: `https://login.microsoftonline.com/${TENANT}/`, tid: TENANT }, /invalid issuer/],
    ["v1 issuer without trailing slash", { iss: `https://sts.windows.net/${TENANT}`, tid: TENANT }, /invalid issuer/],
    ["the common endpoint", { iss: "https://login.microsoftonline.com/common/v2.0", tid: TENANT }, /invalid issuer/],
    ["no iss", { tid: TENANT }, /invalid issuer/],
  ])("rejects %s", (_what, payload: JWTPayload, message) => {
    const e = thrown(() => checkTenantAndIssuer(payload, allowed));
    expect(e.status).toBe(401);
    expect(e.message).toMatch(message);
  });
});

describe("classifyCaller", () => {
  it("reads the app id from appid (v1) or azp (v2), lower-cased", () => {
    expect(classifyCaller({ ...appClaims(), appid: APP_ID.toUpperCase() }, TENANT)).toMatchObject({ kind: "app", appId: APP_ID });
    expect(classifyCaller(delegatedClaims(), TENANT)).toMatchObject({ kind: "delegated", appId: APP_ID, userObjectId: USER_OID });
  });

  it("treats scp as delegated even when roles are present too", () => {
    expect(classifyCaller({ ...delegatedClaims(), roles: ["x"] }, TENANT).kind).toBe("delegated");
  });

  it("matches the delegated permission case-insensitively", () => {
    expect(classifyCaller({ ...delegatedClaims(), scp: "notifications.readwrite.createdbyapp" }, TENANT).kind).toBe("delegated");
  });

  it.each([
    ["no app id", { ...appClaims(), appid: undefined }, 401, /names no application/],
    ["a delegated token without oid", { ...delegatedClaims(), oid: undefined }, 401, /must carry oid/],
    ["a non-string scp", { ...delegatedClaims(), scp: ["Notifications.ReadWrite.CreatedByApp"] }, 401, /scp claim is malformed/],
    ["an empty scp", { ...delegatedClaims(), scp: "" }, 403, /Missing permission/],
    ["a similar but different scope", { ...delegatedClaims(), scp: "Notifications.ReadWrite" }, 403, /Missing permission/],
  ])("rejects %s", (_what, payload: JWTPayload, status, message) => {
    const e = thrown(() => classifyCaller(payload, TENANT));
    expect(e.status).toBe(status);
    expect(e.message).toMatch(message);
  });
});

describe("readBearerToken", () => {
  it("accepts any case of the scheme and surrounding blanks", () => {
    expect(readBearerToken("  BEARER a.b.c ")).toBe("a.b.c");
  });

  it.each([["", /empty/], ["Bearer", /missing/], ["Bearer a.b.c extra", /missing/], ["Bearer a.b", /well-formed/], ["Bearer a.b.c$", /well-formed/]])(
    "rejects %j",
    (header, message) => {
      expect(thrown(() => readBearerToken(header)).message).toMatch(message);
    },
  );

  it("refuses oversized tokens before parsing them", () => {
    expect(thrown(() => readBearerToken(`Bearer ${"a".repeat(20_000)}.b.c`)).message).toMatch(/well-formed/);
  });
});

describe("restoreSignedGraphHeader and the challenge", () => {
  it("leaves tokens without a nonce untouched", () => {
    const token = `${encodePart({ alg: "RS256", kid: "k" })}.e30.sig`;
    expect(restoreSignedGraphHeader(token)).toBe(token);
  });

  it("refuses a nonce it cannot rewrite byte for byte", () => {
    expect(restoreSignedGraphHeader(`${encodePart({ alg: "RS256", nonce: 'a"b' })}.e30.sig`)).toBeUndefined();
    const twice = Buffer.from('{"alg":"RS256","nonce":"a","nonce":"b"}').toString("base64url");
    expect(restoreSignedGraphHeader(`${twice}.e30.sig`)).toBeUndefined();
  });

  it("keeps quotes and control characters out of the WWW-Authenticate quoted string", () => {
    const challenge = rejectInvalidToken('bad "value"\r\nInjected: yes\\').headers["WWW-Authenticate"];
    expect(challenge).toMatch(/error_description="bad 'value'''Injected: yes'"$/);
  });
});
