import { readdirSync, readFileSync } from "node:fs";

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

/** A process and its descendants (a cluster primary and its API processes), from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${tid}/children`, "utf8").trim();
        if (kids) out.push(...kids.split(" ").map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * Samples a process tree every `everyMs`; resolves with its peak resident memory: the highest VmHWM
 * of one process, or the highest sum of the tree's VmRSS if that is larger (several processes).
 */
export function sampleMemory(pid: number, everyMs = 250): { stop(): number } {
  let peak = 0;
  const take = (): void => {
    let sum = 0;
    for (const p of processTree(pid)) {
      const m = readMemoryMb(p);
      if (!m) continue;
      peak = Math.max(peak, m.peakRssMb);
      sum += m.rssMb;
    }
    peak = Math.max(peak, sum);
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

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. CPU per request is
 * steadier than requests per second when other work shares the machine.
 */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** CPU (ms) used so far by a process and its live descendants. */
export function readTreeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (readCpuMs(p) || 0), 0);
}

/** CPU (ms) so far of a process tree's threads, by role: see readThreadCpuMs. */
export interface ThreadCpuMs {
  /** Each process's main thread: the event loops that accept (and, in a cluster primary, little else). */
  mainLoops: number;
  /** Threads running at a lowered priority: the outbox thread sets nice 10 (src/outbox/thread/outbox-thread.ts). */
  outboxThread: number;
  /** Everything else: V8's GC and compiler helpers, libuv's pool. */
  otherThreads: number;
}

/**
 * CPU (ms) used so far by the threads of a process tree, by role, from /proc/<pid>/task/<tid>/stat.
 * The main thread's id is its process's; the outbox thread is one niced below its main thread
 * (where lowering it was refused, its CPU counts as "other").
 */
export function readThreadCpuMs(pid: number): ThreadCpuMs {
  const out: ThreadCpuMs = { mainLoops: 0, outboxThread: 0, otherThreads: 0 };
  for (const p of processTree(pid)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // exited meanwhile
    }
    const threads = tids.flatMap((tid) => {
      try {
        const stat = readFileSync(`/proc/${p}/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields[16] is field 19 (nice); utime and stime as in readCpuMs.
        return [{ tid: Number(tid), ms: (Number(fields[11]) + Number(fields[12])) * 10, nice: Number(fields[16]) }];
      } catch {
        return []; // the thread ended meanwhile
      }
    });
    const mainNice = threads.find((t) => t.tid === p)?.nice ?? 0;
    for (const t of threads) {
      if (t.tid === p) out.mainLoops += t.ms;
      else if (t.nice > mainNice) out.outboxThread += t.ms;
      else out.otherThreads += t.ms;
    }
  }
  return out;
}

/** CPU (ms) used so far by every process named `comm` (e.g. the PostgreSQL server's backends). */
export function readCpuMsOfCommand(comm: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== comm) continue;
      total += readCpuMs(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
