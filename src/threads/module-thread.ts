import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Starts a worker thread on `name` (a module next to `callerUrl`, without extension). Compiled,
 * the sibling is .js; under tsx or vitest it is .ts, and the thread registers tsx's loader first.
 */
export function startModuleThread(callerUrl: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const ext = extname(fileURLToPath(callerUrl));
  const url = new URL(`${name}${ext}`, callerUrl);
  if (ext !== ".ts") return new Worker(url, { workerData, resourceLimits });
  const bootstrap = `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
