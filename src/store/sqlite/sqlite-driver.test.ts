import { describe, expect, it } from "vitest";
import Database, { driverPackage, driverPackageFor } from "./sqlite-driver.js";

describe("driverPackageFor", () => {
  it("keeps better-sqlite3 12 on Node.js 20 and older", () => {
    expect(driverPackageFor("20.20.2")).toBe("better-sqlite3");
    expect(driverPackageFor("18.0.0")).toBe("better-sqlite3");
    expect(driverPackageFor("21.7.3")).toBe("better-sqlite3");
  });

  it("takes better-sqlite3 13 (Node-API) from Node.js 22 on", () => {
    expect(driverPackageFor("22.0.0")).toBe("better-sqlite3-napi");
    expect(driverPackageFor("24.21.0")).toBe("better-sqlite3-napi");
    expect(driverPackageFor("100.1.0")).toBe("better-sqlite3-napi");
  });

  it("reads the major version, not a string prefix", () => {
    expect(driverPackageFor("2.0.0")).toBe("better-sqlite3");
    expect(driverPackageFor("220.0.0")).toBe("better-sqlite3-napi");
  });
});

describe("the loaded driver", () => {
  it("is the one chosen for this runtime, and opens a working database", () => {
    expect(driverPackage).toBe(driverPackageFor(process.versions.node));
    const db = new Database(":memory:");
    expect(db.prepare("SELECT 1 + 1 AS two").get()).toEqual({ two: 2 });
    db.close();
  });
});
