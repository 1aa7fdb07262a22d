import type BetterSqlite3 from "better-sqlite3";

/**
 * The SQLite driver for this runtime. better-sqlite3 12 (node::ObjectWrap) aborts a Node.js 24
 * process when V8 collects one of its wrappers; 13 (N-API, prebuilt binaries in the package) fixes
 * that but needs Node.js >= 22. Both have the same API; the types are 12's.
 * docs/designs/2026-12-test-suite-speed.md
 */
export type DriverPackage = "better-sqlite3" | "better-sqlite3-napi";

/** better-sqlite3 13 (installed as the alias better-sqlite3-napi) from Node.js 22 on, else 12. */
export function driverPackageFor(nodeVersion: string): DriverPackage {
  const major = Number.parseInt(nodeVersion, 10);
  return major >= 22 ? "better-sqlite3-napi" : "better-sqlite3";
}

export const driverPackage: DriverPackage = driverPackageFor(process.versions.node);

// Literal specifiers, so that only the chosen package is loaded and the dependency check sees both.
const Database: typeof BetterSqlite3 = driverPackage === "better-sqlite3-napi"
  ? (await import("better-sqlite3-napi")).default
  : (await import("better-sqlite3")).default;
export default Database;
