import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PG_URL } from "../store/pg-test-db.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README.md", () => {
  it("names the PostgreSQL server the test suite uses by default, and no other", () => {
    const urls = [...readme.matchAll(/postgres(?:ql)?:\/\/[^\s`)]+/g)].map((m) => m[0]).filter((u) => u.endsWith("/test"));
    expect(urls).toEqual([DEFAULT_PG_URL]);
  });
});
