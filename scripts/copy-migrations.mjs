// Copies the SQL migrations next to the compiled store modules (tsc copies only TypeScript).
import { cpSync } from "node:fs";

for (const backend of ["sqlite", "postgres"]) {
  cpSync(`src/store/${backend}/migrations`, `dist/src/store/${backend}/migrations`, { recursive: true });
}
