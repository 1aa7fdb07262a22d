import { describe, expect, it } from "vitest";
import { isStoreUnavailable, StoreUnavailableError } from "./store-unavailable.js";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isStoreUnavailable", () => {
  it.each(["57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "53100", "53300", "58030"])("PostgreSQL %s: unavailable", (code) => {
    expect(isStoreUnavailable(withCode(code))).toBe(true);
  });

  it.each(["23505", "42P01", "22P02", "40001", "0800", "080000"])("PostgreSQL %s: not an outage", (code) => {
    expect(isStoreUnavailable(withCode(code))).toBe(false);
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"])("socket %s: unavailable", (code) => {
    expect(isStoreUnavailable(withCode(code))).toBe(true);
  });

  it("node-postgres's message-only connection errors: unavailable", () => {
    expect(isStoreUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isStoreUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isStoreUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
  });

  it.each(["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_READONLY"])("SQLite %s: unavailable", (code) => {
    expect(isStoreUnavailable(withCode(code))).toBe(true);
  });

  it.each(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_ERROR", "SQLITE_MISMATCH", "SQLITE_FULLX"])("SQLite %s: not an outage", (code) => {
    expect(isStoreUnavailable(withCode(code))).toBe(false);
  });

  it("looks through the cause chain, and knows its own error", () => {
    expect(isStoreUnavailable(new Error("outer", { cause: withCode("57P01") }))).toBe(true);
    expect(isStoreUnavailable(new StoreUnavailableError("down"))).toBe(true);
  });

  it("anything else is not an outage", () => {
    for (const e of [undefined, null, "ECONNRESET", 42, new Error("boom"), new TypeError("x is undefined"), { code: 57 }])
      expect(isStoreUnavailable(e)).toBe(false);
  });
});
