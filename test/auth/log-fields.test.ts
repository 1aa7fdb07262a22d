import { describe, expect, it } from "vitest";
import { callerLogFields, hashIdentifier } from "../../src/auth/log-fields.js";
import type { Caller } from "../../src/auth/types.js";

const app: Caller = { kind: "app", appId: "app-1", tenantId: "t-1", subject: "sp" };
const user: Caller = { kind: "delegated", appId: "app-1", tenantId: "t-1", userObjectId: "user-oid", scopes: ["x"] };

describe("hashIdentifier", () => {
  it("is stable, short and does not contain the input", () => {
    expect(hashIdentifier("uns-123")).toBe(hashIdentifier("uns-123"));
    expect(hashIdentifier("uns-123")).toMatch(/^[0-9a-f]{16}$/);
    expect(hashIdentifier("uns-123")).not.toBe(hashIdentifier("uns-124"));
  });
});

describe("callerLogFields", () => {
  it("logs app and tenant in clear and the user only hashed", () => {
    expect(callerLogFields(app)).toEqual({ callerKind: "app", appId: "app-1", tenantId: "t-1" });
    const fields = callerLogFields(user);
    expect(fields).toEqual({ callerKind: "delegated", appId: "app-1", tenantId: "t-1", userHash: hashIdentifier("user-oid") });
    expect(JSON.stringify(fields)).not.toContain("user-oid");
    expect(callerLogFields({ kind: "anonymous" })).toEqual({ callerKind: "anonymous" });
  });
});

