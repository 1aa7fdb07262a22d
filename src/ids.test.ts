import { describe, expect, it } from "vitest";
import { newSecretToken, newTimeOrderedId } from "./ids.js";

describe("ids", () => {
  it("makes version-7 UUIDs whose millisecond prefix never goes back, all distinct", () => {
    const ids = Array.from({ length: 5000 }, newTimeOrderedId);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = ids.map((id) => id.slice(0, 13));
    expect([...ms].sort()).toEqual(ms);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("embeds the creation time in milliseconds", () => {
    const before = Date.now();
    const id = newTimeOrderedId();
    const ms = parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it("secret tokens are 24 URL-safe characters (18 bytes) and never repeat across pool refills", () => {
    const tokens = Array.from({ length: 2000 }, () => newSecretToken());
    for (const t of tokens.slice(0, 50)) expect(t).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
