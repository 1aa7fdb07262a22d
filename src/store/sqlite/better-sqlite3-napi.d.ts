// The alias better-sqlite3-napi is better-sqlite3 13, which ships no types: it keeps 12's API.
declare module "better-sqlite3-napi" {
  import Database from "better-sqlite3";
  export default Database;
}
