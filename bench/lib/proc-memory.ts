import { readFileSync } from "node:fs";

/** VmHWM (peak resident set) and VmRSS of a process in MB, from /proc/<pid>/status; undefined once it exited. */
export function readMemoryMb(pid: number): { peakRssMb: number; rssMb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { peakRssMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

/** Samples a process every `everyMs` and keeps the highest VmHWM seen (read it before the process exits). */
export function sampleMemory(pid: number, everyMs = 250): { stop(): number } {
  let peak = 0;
  const take = (): void => {
    const m = readMemoryMb(pid);
    if (m) peak = Math.max(peak, m.peakRssMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return peak;
    },
  };
}
