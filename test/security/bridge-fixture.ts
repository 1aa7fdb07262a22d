import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "../../src/store/sqlite/sqlite-driver.js";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { APP_ID, TENANT, appClaims, makeSigningKey, mintToken, startFakeEntra, type FakeEntra, type SigningKey } from "../auth/fake-entra.js";

export const HOST = "notify.contoso.com";
export const APP_B = "dddddddd-0000-4000-8000-000000000004";
export const APP_C = "ffffffff-0000-4000-8000-000000000006";

/** Every JSON line the bridge's logger wrote, raw, with a way to wait for a given line. */
export interface LogCapture {
  raw: string[];
  write(chunk: string): void;
  /** Resolves with the first line (already written or future) that matches. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

export function captureLog(): LogCapture {
  const raw: string[] = [];
  const waiters: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  const parsed: Array<Record<string, unknown>> = [];
  return {
    raw,
    write(chunk) {
      for (const line of chunk.split("\n").filter(Boolean)) {
        raw.push(line);
        const l = JSON.parse(line) as Record<string, unknown>;
        parsed.push(l);
        for (const w of waiters.filter((x) => x.match(l))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    },
    waitFor(match) {
      const found = parsed.find(match);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

export interface SecuredBridge {
  bridge: RunningBridge;
  entra: FakeEntra;
  key: SigningKey;
  log: LogCapture;
  /** A fresh, valid app-only token for `appId` (now, real clock). */
  tokenFor(appId?: string): Promise<string>;
  /** Rows in the notifications table (a second, read-only connection to the SQLite file). */
  countNotifications(): number;
  close(): Promise<void>;
}

/**
 * The whole bridge as main.ts starts it (loadConfig → startBridge): Entra auth against a loopback
 * fake Entra, hubs strategy with the embedded emulator, a SQLite file store, and a pino logger
 * writing into a capture. `env` overrides or adds settings.
 */
export async function startSecuredBridge(env: Record<string, string> = {}): Promise<SecuredBridge> {
  const entra = await startFakeEntra();
  const key = await makeSigningKey("key-1");
  entra.publish([key.publicJwk]);
  const dbFile = join(mkdtempSync(join(tmpdir(), "gnb-security-bridge-")), "bridge.db");
  const config = loadConfig({
    PORT: "0",
    EMULATOR_PORT: "0",
    DATABASE_URL: `sqlite:${dbFile}`,
    AUTH_MODE: "entra",
    AUTH_TENANT_ID: TENANT,
    AUTH_OPENID_METADATA_URL: entra.metadataUrl,
    AUTH_APP_HOSTS: JSON.stringify({ [APP_ID]: [HOST], [APP_B]: [HOST], [APP_C]: [HOST] }),
    LOG_LEVEL: "trace",
    // The captured logger lives on this thread: keep the outbox worker here so its lines are captured too.
    OUTBOX_THREAD: "false",
    ...env,
  });
  const log = captureLog();
  const bridge = await startBridge(config, { logger: createLogger({ level: config.LOG_LEVEL, destination: log, base: { service: "gnb" } }) });
  return {
    bridge,
    entra,
    key,
    log,
    tokenFor: (appId = APP_ID) => mintToken(key, { now: new Date(), claims: { ...appClaims(), appid: appId } }),
    countNotifications() {
      const db = new Database(dbFile, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM notifications").get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async close() {
      await bridge.shutdown();
      await entra.close();
    },
  };
}
