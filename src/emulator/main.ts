import { type FaultSpec, faultSpecSchema } from "./faults.js";
import { DEFAULT_EMULATOR_PORT, startEmulator } from "./server.js";

/**
 * `npm run emulator`: the only place the emulator reads the environment.
 * EMULATOR_PORT (default 10110), EMULATOR_ACCESS_KEY, EMULATOR_STATE_FILE, EMULATOR_FAULTS (JSON
 * object of hub name to fault spec), EMULATOR_HUB_KEYS (hubs with keys of their own). See docs/emulator.md.
 */
function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(1);
}

function readPort(text: string | undefined): number {
  if (text === undefined || text === "") return DEFAULT_EMULATOR_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`EMULATOR_PORT must be a port number (0-65535), not '${text}'`);
  return port;
}

function readFaults(text: string | undefined): Record<string, FaultSpec> | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail('EMULATOR_FAULTS must be JSON, e.g. {"my-hub":{"throttle":{"retryAfterSeconds":5,"count":3}}}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("EMULATOR_FAULTS must be a JSON object keyed by hub name");
  const faults: Record<string, FaultSpec> = {};
  for (const [hub, spec] of Object.entries(value)) {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) fail(`EMULATOR_FAULTS.${hub} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
    faults[hub] = parsed.data;
  }
  return faults;
}

/**
 * EMULATOR_HUB_KEYS=hub-a,hub-b (each gets a well-known key of its own, derived from its name) or
 * hub-a=<key>,hub-b=<key>: hubs that accept only their own key, so each has its own connection string.
 */
function readHubKeys(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const keys: Record<string, string> = {};
  for (const item of text.split(",").map((x) => x.trim()).filter(Boolean)) {
    const [hub, key] = item.split(/=(.*)/s, 2);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/.test(hub)) fail(`EMULATOR_HUB_KEYS: '${hub}' is not a hub name (letters, digits, '.', '_' or '-')`);
    keys[hub] = key || Buffer.from(`EmulatorHubKey-${hub}-NotASecret`).toString("base64");
  }
  return keys;
}

async function main(): Promise<void> {
  const env = process.env;
  const running = await startEmulator({
    port: readPort(env.EMULATOR_PORT),
    accessKey: env.EMULATOR_ACCESS_KEY || undefined,
    stateFile: env.EMULATOR_STATE_FILE || undefined,
    faults: readFaults(env.EMULATOR_FAULTS),
    hubKeys: readHubKeys(env.EMULATOR_HUB_KEYS),
    logger: { info: (m) => console.log(m), error: (m, e) => console.error(m, e) },
  });
  console.log(`Notification Hubs emulator listening on ${running.url}`);
  console.log(`  full connection string:   ${running.connectionString("full")}`);
  console.log(`  listen connection string: ${running.connectionString("listen")}`);
  for (const hub of Object.keys(readHubKeys(env.EMULATOR_HUB_KEYS) ?? {})) console.log(`  hub ${hub} (own key):  ${running.connectionString("full", hub)}`);
  console.log(`  viewer:                   ${running.url}/_emulator/`);
  console.log("  any hub name works; plain http needs allowInsecureConnection (see docs/emulator.md)");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`emulator: ${signal} received, stopping`);
    running.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error("emulator: could not stop cleanly", e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
