import { existsSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import type { StoredState } from "./hub-store.js";
import type { ScheduledEntry } from "./scheduler.js";

/** Everything the emulator keeps across restarts when given a state file. */
export interface PersistedState extends StoredState {
  scheduled: ScheduledEntry[];
}

/** Reads the state file at start-up; a missing file is an empty emulator, a broken one stops start-up. */
export function loadStateFile(path: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  let state: Partial<PersistedState>;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as Partial<PersistedState>;
  } catch (e) {
    throw new Error(`The emulator state file ${path} is not valid JSON (${(e as Error).message}); fix or delete it.`);
  }
  if (state.version !== 1) throw new Error(`The emulator state file ${path} has an unknown version; delete it to start afresh.`);
  return {
    version: 1,
    hubs: state.hubs ?? [],
    installations: state.installations ?? [],
    deliveries: state.deliveries ?? [],
    notifications: state.notifications ?? [],
    scheduled: state.scheduled ?? [],
  };
}

/** Saves at most once per `debounceMs` after changes, and on flush(); writes go through a temp file. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly read: () => PersistedState,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 250,
  ) {}

  markChanged(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush().catch(this.onError), this.debounceMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = JSON.stringify(this.read());
    const temp = `${this.path}.tmp`;
    // A failed write must not block the next ones.
    this.writing = this.writing.catch(() => {}).then(async () => {
      await writeFile(temp, text, "utf8");
      await rename(temp, this.path);
    });
    return this.writing;
  }
}
