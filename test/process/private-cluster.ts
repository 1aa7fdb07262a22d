import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
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

/**
 * A free port below the kernel's ephemeral range: the server binds it only once pg_createcluster has
 * started it (and again after each stop), and no listen(0) or outgoing connection on the machine is
 * ever handed a port there in between, as a freed ephemeral port can be.
 */
async function freePortOutsideEphemeralRange(): Promise<number> {
  const low = Number((await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").catch(() => "32768")).trim().split(/\s+/)[0]);
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * (Math.max(low, 20_001) - 20_000)); // above the usual fixed ports (5432, 8080, 10110)
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => server.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true)));
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
}

/**
 * A PostgreSQL cluster of this test's own, to restart at will: the shared cluster on 5432 serves
 * every other test at the same moment and must never be restarted.
 */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const name = `gnb-fault-${randomBytes(4).toString("hex")}`;
  const port = await freePortOutsideEphemeralRange();
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
