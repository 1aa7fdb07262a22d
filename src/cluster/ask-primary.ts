import { isClusterMessage, isReplyToApiProcess, type ClusterMessage, type ReplyToApiProcess } from "./messages.js";

type Request = Extract<ClusterMessage, { gnb: "metrics-request" | "rate-limit" | "hub-ready-request" }>;
type RequestWithoutId = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

const waiting = new Map<number, (reply: ReplyToApiProcess) => void>();
let nextId = 1;
let listening = false;

/**
 * An API process's request to its cluster primary: sends `request` with a fresh id and resolves
 * with the primary's reply to it, or with undefined after `timeoutMs` (the primary is gone or stuck;
 * each caller decides what to do then). One id space and one listener for every caller in the process.
 */
export function askPrimary(request: RequestWithoutId, timeoutMs: number): Promise<ReplyToApiProcess | undefined> {
  if (!listening) {
    listening = true;
    process.on("message", (m: unknown) => {
      if (isClusterMessage(m) && isReplyToApiProcess(m)) waiting.get(m.id)?.(m);
    });
  }
  const id = nextId++;
  return new Promise((resolve) => {
    const settle = (reply: ReplyToApiProcess | undefined) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(reply);
    };
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    waiting.set(id, settle);
    process.send?.({ ...request, id } as ClusterMessage);
  });
}
