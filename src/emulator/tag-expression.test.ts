import { describe, expect, it } from "vitest";
import { evaluateTagExpression, parseTagExpression } from "./tag-expression.js";

function matches(expression: string, tags: string[]): boolean {
  const parsed = parseTagExpression(expression);
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluateTagExpression(parsed.expression, new Set(tags));
}

function errorOf(expression: string): string {
  const parsed = parseTagExpression(expression);
  if (parsed.ok) throw new Error("expected a parse error");
  return parsed.error;
}

describe("evaluateTagExpression", () => {
  it("matches a single tag", () => {
    expect(matches("sports", ["sports"])).toBe(true);
    expect(matches("sports", ["news"])).toBe(false);
  });

  it("is case-sensitive", () => {
    expect(matches("Sports", ["sports"])).toBe(false);
  });

  it("applies ||", () => {
    expect(matches("a || b", ["b"])).toBe(true);
    expect(matches("a||b", ["c"])).toBe(false);
  });

  it("applies &&", () => {
    expect(matches("a && b", ["a", "b"])).toBe(true);
    expect(matches("a && b", ["a"])).toBe(false);
  });

  it("applies !", () => {
    expect(matches("!a", ["b"])).toBe(true);
    expect(matches("!a", ["a"])).toBe(false);
    expect(matches("!!a", ["a"])).toBe(true);
  });

  it("binds ! tighter than && and && tighter than ||", () => {
    expect(matches("a || b && c", ["a"])).toBe(true);
    expect(matches("a || b && c", ["b"])).toBe(false);
    expect(matches("!a && b", ["b"])).toBe(true);
  });

  it("honours parentheses", () => {
    expect(matches("(a || b) && c", ["a"])).toBe(false);
    expect(matches("(a || b) && c", ["b", "c"])).toBe(true);
    expect(matches("!(a || b)", ["c"])).toBe(true);
  });

  it("accepts built-in tags with braced values, even with operator characters inside", () => {
    expect(matches("$UserId:{bob@contoso.com} && !$InstallationId:{a|b}", ["$UserId:{bob@contoso.com}"])).toBe(true);
    expect(matches("$InstallationId:{a|b}", ["$InstallationId:{a|b}"])).toBe(true);
  });

  it("accepts every tag character NH allows", () => {
    expect(matches("user_1@x#y.z:w-v", ["user_1@x#y.z:w-v"])).toBe(true);
  });
});

describe("parseTagExpression errors", () => {
  it("refuses an empty expression", () => expect(errorOf("  ")).toMatch(/empty/));
  it("refuses a single & or |", () => {
    expect(errorOf("a & b")).toMatch(/use '&&'/);
    expect(errorOf("a | b")).toMatch(/use '\|\|'/);
  });
  it("refuses a dangling operator", () => expect(errorOf("a &&")).toMatch(/ends too early/));
  it("refuses an unclosed parenthesis", () => expect(errorOf("(a || b")).toMatch(/not closed/));
  it("refuses a stray closing parenthesis", () => expect(errorOf("a)")).toMatch(/unexpected '\)'/));
  it("refuses two tags without an operator", () => expect(errorOf("a b")).toMatch(/unexpected 'b'/));
  it("refuses invalid tag characters", () => expect(errorOf("a/b")).toMatch(/not a valid tag/));
  it("refuses a built-in tag without braces", () => expect(errorOf("$UserId:alice")).toMatch(/not a valid tag/));
  it("refuses a tag longer than 120 characters", () => expect(errorOf("x".repeat(121))).toMatch(/not a valid tag/));

  it("allows 20 tags when only || is used, not 21", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(" || ");
    expect(parseTagExpression(tags(20)).ok).toBe(true);
    expect(errorOf(tags(21))).toMatch(/21 tags; the limit is 20/);
  });

  it("allows 6 tags once && or ! appears, not 7", () => {
    expect(parseTagExpression("a && b || c || d || e || f").ok).toBe(true);
    expect(errorOf("a && b || c || d || e || f || g")).toMatch(/limit is 6/);
    expect(errorOf("!a || b || c || d || e || f || g")).toMatch(/limit is 6/);
  });
});
