import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTagExpression, checkTagTemplate, DEFAULT_TAG_TEMPLATE, encodeUserIdForTag, excludeInstallations, MAX_ENCODED_USER_ID_LENGTH } from "./targeting.js";

const hashed = (s: string) => "h-" + createHash("sha256").update(s, "utf8").digest("hex").slice(0, 48);
const TAG = /^[A-Za-z0-9_@#.:-]{1,120}$/;

describe("encodeUserIdForTag", () => {
  it("keeps a UNS ID made of characters valid in both a tag and a userId", () => {
    expect(encodeUserIdForTag("AbC-123_x@y#z.w:v")).toBe("AbC-123_x@y#z.w:v");
  });

  it("hashes a UNS ID with characters outside the tag set (= + / space)", () => {
    for (const id of ["abc=", "a+b", "a/b", "a b", "ünï"]) expect(encodeUserIdForTag(id)).toBe(hashed(id));
  });

  it("hashes one longer than 64 characters", () => {
    expect(encodeUserIdForTag("a".repeat(64))).toBe("a".repeat(64));
    expect(encodeUserIdForTag("a".repeat(65))).toBe(hashed("a".repeat(65)));
  });

  it("hashes ids that start with h- so no raw id can pose as an encoded one", () => {
    expect(encodeUserIdForTag("h-abc")).toBe(hashed("h-abc"));
  });

  it("hashes the empty string", () => expect(encodeUserIdForTag("")).toBe(hashed("")));

  it("always returns a valid tag value of at most 64 characters, deterministically (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (id) => {
        const v = encodeUserIdForTag(id);
        return TAG.test(v) && v.length <= MAX_ENCODED_USER_ID_LENGTH && v === encodeUserIdForTag(id);
      }),
    );
  });

  it("returns a valid tag value for hand-picked awkward ids", () => {
    for (const id of ["x", "a=b", "€".repeat(300), "h-", "A".repeat(64)]) {
      const v = encodeUserIdForTag(id);
      expect(v).toMatch(TAG);
      expect(v.length).toBeLessThanOrEqual(MAX_ENCODED_USER_ID_LENGTH);
    }
  });
});

describe("buildTagExpression", () => {
  it("fills the default template", () => {
    expect(buildTagExpression(DEFAULT_TAG_TEMPLATE, "uns-1")).toBe("$UserId:{uns-1}");
    expect(buildTagExpression(DEFAULT_TAG_TEMPLATE, "a=b")).toBe(`$UserId:{${hashed("a=b")}}`);
    expect(buildTagExpression("$InstallationId:{unsId}", "dev-1")).toBe("$InstallationId:{dev-1}");
  });

  it("fills every placeholder of a compound expression", () => {
    expect(buildTagExpression("(uns:{unsId} || legacy_{unsId}) && !muted", "u1")).toBe("(uns:u1 || legacy_u1) && !muted");
  });

  it("rejects a template without {unsId}", () => {
    expect(() => checkTagTemplate("$UserId:fixed")).toThrow(/must contain \{unsId\}/);
    expect(() => buildTagExpression("everyone", "u")).toThrow(Error);
  });

  it("rejects a tag with characters tags cannot hold", () => {
    expect(() => checkTagTemplate("user/{unsId}")).toThrow(/may use only/);
  });

  it.each([
    ["user:{unsId} &&", /ends too early/],
    ["user:{unsId} & muted", /use '&&'/],
    ["(user:{unsId} || legacy:{unsId}", /'\(' is not closed/],
    ["user:{unsId} muted", /unexpected 'muted'/],
    ["a:{unsId} && b && c && d && e && f && g", /7 tags; the limit is 6/],
  ])("rejects '%s', which is not a valid Notification Hubs tag expression", (template, why) => {
    expect(() => checkTagTemplate(template)).toThrow(/is not a valid Notification Hubs tag expression/);
    expect(() => checkTagTemplate(template)).toThrow(why);
  });

  it("accepts compound templates NH accepts", () => {
    for (const t of ["(uns:{unsId} || legacy_{unsId}) && !muted", "$UserId:{unsId} && !muted", "!blocked && $InstallationId:{unsId}"]) expect(() => checkTagTemplate(t), t).not.toThrow();
  });

  it("rejects a tag that could exceed 120 characters", () => {
    expect(() => checkTagTemplate(`${"p".repeat(56)}{unsId}`)).not.toThrow();
    expect(() => checkTagTemplate(`${"p".repeat(57)}{unsId}`)).toThrow(/121 characters/);
  });
});

describe("excludeInstallations", () => {
  it("ANDs the target with one exclusion per acknowledged installation", () => {
    expect(excludeInstallations("$UserId:{alice}", ["i1", "i-2"])).toBe("($UserId:{alice}) && !$InstallationId:{i1} && !$InstallationId:{i-2}");
  });

  it("leaves the expression alone when no installation acknowledged", () => {
    expect(excludeInstallations("$UserId:{alice}", [])).toBe("$UserId:{alice}");
  });

  it("skips ids that are not valid tag values and keeps at most 5 (NH's 6 tags per AND expression)", () => {
    const ids = ["bad id", "x".repeat(101), "a", "b", "c", "d", "e", "f"];
    expect(excludeInstallations("t", ids)).toBe("(t) && " + ["a", "b", "c", "d", "e"].map((i) => `!$InstallationId:{${i}}`).join(" && "));
  });
});
