import type { Logger } from "pino";
import { StoreHealth } from "./store-health.js";
import type { Store } from "./store.js";

/** A StoreHealth probing `store` with a real write, logging each change (`effect` says what pauses). */
export function createStoreHealth(store: Pick<Store, "probeWrite">, logger: Logger, effect: string): StoreHealth {
  return new StoreHealth({
    probe: () => store.probeWrite(),
    onChange: ({ available, reason, downForMs }) => {
      if (available) logger.warn({ downForMs, lastError: reason }, "store available again");
      else logger.error({ reason }, `store unavailable: ${effect} until it answers`);
    },
  });
}
