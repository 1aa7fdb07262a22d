import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);
const VERSION = "15";

export interface PrivateCluster {
  name: string;
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth, loopback only). */
  url: string;
  /** pg_ctlcluster stop: `fast` ends sessions cleanly (57P01), `immediate` kills them like a crash. */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** pg_ctlcluster start, on the same port and data directory. */
  start(): Promise<void>;
  /** pg_dropcluster --stop: always call it, even after a failure. */
  drop(): Promise<void>;
}

/** Whether this machine can create PostgreSQL clusters (Debian's postgresql-common, run as root). */
export async function canCreateClusters(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  try {
    await run("pg_lsclusters", ["--no-header"]);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A PostgreSQL cluster of this test's own, to restart at will: the shared cluster on 5432 serves
 * every other test at the same moment and must never be restarted.
 */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const name = `gnb-fault-${randomBytes(4).toString("hex")}`;
  const port = await freePort();
  const drop = async () => void (await run("pg_dropcluster", ["--stop", VERSION, name]).catch(() => undefined));
  try {
    await run("pg_createcluster", [VERSION, name, "-p", String(port), "--start",
      // fsync only matters when the machine crashes; a restart, even --mode immediate, keeps what was written.
      "-o", "fsync=off", "--", "--auth=trust", "--no-sync"]);
  } catch (e) {
    await drop();
    throw e;
  }
  return {
    name, port, drop,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async (mode) => void (await run("pg_ctlcluster", ["--skip-systemctl-redirect", VERSION, name, "stop", "--mode", mode])),
    start: async () => void (await run("pg_ctlcluster", ["--skip-systemctl-redirect", VERSION, name, "start"])),
  };
}
