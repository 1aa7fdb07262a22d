import type { PreparedSend } from "./send.js";

/** A send waiting for its `ServiceBusNotification-ScheduleTime`. */
export interface ScheduledEntry {
  id: string;
  dueAt: string;
  send: PreparedSend;
}

export interface SchedulerOptions {
  now: () => Date;
  fire: (entry: ScheduledEntry) => void;
  onChange?: () => void;
}

/** setTimeout's ceiling (about 24.8 days); NH schedules at most 7 days ahead anyway. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Fires scheduled sends when they fall due. Due-ness is always judged with the injected clock;
 * the timer only decides when to look again, so tests can move the clock and call runDue().
 */
export class Scheduler {
  private readonly entries = new Map<string, ScheduledEntry>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  add(entry: ScheduledEntry): void {
    this.entries.set(entry.id, entry);
    this.options.onChange?.();
    this.arm();
  }

  /** Removes a pending send of the hub; false when there is none (unknown or already fired). */
  cancel(hub: string, id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.send.hub !== hub) return false;
    this.entries.delete(id);
    this.options.onChange?.();
    this.arm();
    return true;
  }

  list(): ScheduledEntry[] {
    return [...this.entries.values()];
  }

  /** Fires every entry due by the clock, oldest first; returns how many fired. */
  runDue(): number {
    const now = this.options.now().getTime();
    const due = this.list()
      .filter((e) => Date.parse(e.dueAt) <= now)
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    for (const entry of due) {
      this.entries.delete(entry.id);
      this.options.fire(entry);
    }
    if (due.length > 0) this.options.onChange?.();
    this.arm();
    return due.length;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.entries.size === 0) return;
    const next = Math.min(...this.list().map((e) => Date.parse(e.dueAt)));
    const delay = Math.min(Math.max(next - this.options.now().getTime(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }
}
