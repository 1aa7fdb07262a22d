import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { authorizeTargetHost, hostsAllowedFor, parseAppHostRules } from "../../src/auth/app-hosts.js";
import type { Caller } from "../../src/auth/types.js";

const APP = "AAAAAAAA-0000-4000-8000-000000000001";
const OTHER_APP = "dddddddd-0000-4000-8000-000000000004";
const rules = parseAppHostRules(JSON.stringify({ [APP]: ["Notify.Contoso.com"], [OTHER_APP]: ["notify.fabrikam.com"] }));
const appCaller = (appId: string): Caller => ({ kind: "app", appId, tenantId: "t", subject: "s" });

const forbiddenBy = (fn: () => void): AppError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected a 403");
};

describe("parseAppHostRules", () => {
  it("lower-cases app ids and host names and drops a trailing dot", () => {
    expect(parseAppHostRules(`{"${APP}": ["A.Example.COM.", "*"]}`)).toEqual({ [APP.toLowerCase()]: ["a.example.com", "*"] });
  });

  it("explains invalid JSON with an example", () => {
    expect(() => parseAppHostRules("{app: [")).toThrow(/AUTH_APP_HOSTS is not valid JSON .*expected an object like \{"<app id>"/);
  });

  it.each([
    ["an array", "[]", /must be a JSON object/],
    ["a string", '"x"', /must be a JSON object/],
    ["null", "null", /must be a JSON object/],
    ["an empty key", '{" ": ["a.com"]}', /empty application id/],
    ["a host list that is not an array", '{"app": "a.com"}', /must be a non-empty array/],
    ["an empty host list", '{"app": []}', /must be a non-empty array/],
    ["a non-string host", '{"app": [42]}', /non-string entry: 42/],
    ["a URL instead of a host", '{"app": ["https://a.com/x"]}', /neither a host name nor "\*"/],
  ])("rejects %s", (_what, json, message) => {
    expect(() => parseAppHostRules(json)).toThrow(message);
  });
});

describe("authorizeTargetHost", () => {
  it("allows an app its own host, case-insensitively, whatever the app id's case", () => {
    expect(() => authorizeTargetHost(appCaller(APP.toLowerCase()), "NOTIFY.contoso.COM", rules)).not.toThrow();
    expect(() => authorizeTargetHost(appCaller(APP), "notify.contoso.com", rules)).not.toThrow();
  });

  it("allows delegated callers by their app id too", () => {
    const caller: Caller = { kind: "delegated", appId: OTHER_APP, tenantId: "t", userObjectId: "u", scopes: [] };
    expect(() => authorizeTargetHost(caller, "notify.fabrikam.com", rules)).not.toThrow();
  });

  it("forbids another app's host", () => {
    const e = forbiddenBy(() => authorizeTargetHost(appCaller(APP), "notify.fabrikam.com", rules));
    expect(e).toMatchObject({ status: 403, code: "Forbidden" });
    expect(e.message).toMatch(/not allowed to send notifications for this targetHostName/);
  });

  it("forbids an app that has no rule", () => {
    const e = forbiddenBy(() => authorizeTargetHost(appCaller("eeeeeeee-0000-4000-8000-000000000005"), "notify.contoso.com", rules));
    expect(e.status).toBe(403);
  });

  it("is not fooled by inherited property names", () => {
    expect(forbiddenBy(() => authorizeTargetHost(appCaller("constructor"), "a.com", rules)).status).toBe(403);
    expect(forbiddenBy(() => authorizeTargetHost(appCaller("__proto__"), "a.com", rules)).status).toBe(403);
  });

  it("honours '*'", () => {
    const wildcard = parseAppHostRules(`{"${APP}": ["*"]}`);
    expect(() => authorizeTargetHost(appCaller(APP), "anything.example", wildcard)).not.toThrow();
  });

  it("always allows the anonymous caller (AUTH_MODE=none)", () => {
    expect(() => authorizeTargetHost({ kind: "anonymous" }, "whatever.example", {})).not.toThrow();
  });
});

describe("hostsAllowedFor", () => {
  it("lists an app's hosts, normalised, whatever the app id's case", () => {
    expect(hostsAllowedFor(appCaller(APP.toLowerCase()), rules)).toEqual(["notify.contoso.com"]);
  });

  it("answers undefined (any host) for '*', for no rules and for the anonymous caller", () => {
    expect(hostsAllowedFor(appCaller(APP), parseAppHostRules(`{"${APP}": ["*", "a.com"]}`))).toBeUndefined();
    expect(hostsAllowedFor(appCaller(APP), undefined)).toBeUndefined();
    expect(hostsAllowedFor({ kind: "anonymous" }, rules)).toBeUndefined();
  });

  it("forbids an app that has no rule, inherited names included", () => {
    expect(forbiddenBy(() => hostsAllowedFor(appCaller("eeeeeeee-0000-4000-8000-000000000005"), rules)).status).toBe(403);
    expect(forbiddenBy(() => hostsAllowedFor(appCaller("__proto__"), rules)).status).toBe(403);
  });
});
