import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.js";
import type { KeyKind } from "./keys.js";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the emulator has well-known keys and must not face a network. */
  host?: string;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:{port}` (no trailing slash). */
  url: string;
  /** Connection string for this emulator; `keyName` picks the full (default) or listen policy. */
  connectionString(keyName?: KeyKind, hub?: string): string;
  emulator: Emulator;
  close(): Promise<void>;
}

/** Default port of `npm run emulator` (EMULATOR_PORT overrides it). */
export const DEFAULT_EMULATOR_PORT = 10110;

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = DEFAULT_EMULATOR_PORT, host = "127.0.0.1", ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  const server = createServer(emulator.app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  return {
    url,
    connectionString: (keyName, hub) => emulator.connectionString(url, keyName, hub),
    emulator,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await emulator.close();
    },
  };
}
