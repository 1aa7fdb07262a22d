import { describe, expect, it } from "vitest";
import { deltaToken, listToken, parseDeltaToken, parseListToken, versionOfIfMatch } from "./feed-view.js";

describe("feed view helpers", () => {
  it("reads the version an If-Match names, weak or strong; * is any; anything else matches nothing", () => {
    expect(versionOfIfMatch('W/"3"')).toBe(3);
    expect(versionOfIfMatch('"12"')).toBe(12);
    expect(versionOfIfMatch(" * ")).toBeUndefined();
    expect(versionOfIfMatch("3")).toBeNaN();
    expect(versionOfIfMatch('W/"abc"')).toBeNaN();
  });

  it("round-trips its page and delta tokens and refuses others", () => {
    const at = new Date("2026-12-05T10:00:00.000Z");
    expect(parseListToken(listToken({ createdAt: at, id: "0193-a.b" }))).toEqual({ createdAt: at, id: "0193-a.b" });
    expect(parseDeltaToken(deltaToken(42))).toBe(42);
    expect(parseDeltaToken(listToken({ createdAt: at, id: "x" }))).toBeUndefined();
    expect(parseListToken(deltaToken(1))).toBeUndefined();
    expect(parseDeltaToken("not-a-token")).toBeUndefined();
  });
});
