import { Agent, request, type IncomingHttpHeaders } from "node:http";

/** How one POST ended, judged from the bytes the client actually got. */
export type PostResult =
  | { kind: "accepted"; id: string; unsId: string }
  /** A complete answer other than 201 (status and body kept for the failure message). */
  | { kind: "answered"; status: number; body: string; retryAfter?: string }
  /** No response head arrived: refused, reset or closed before answering. */
  | { kind: "connection-error"; code: string }
  /** A response head arrived but the body was cut off or is not the JSON it claims to be. */
  | { kind: "broken"; status: number; reason: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A visual notification (it reaches every platform's device with its id in the metadata). */
export function aVisualNotification(appNotificationId: string, now: Date): Record<string, unknown> {
  return {
    targetHostName: "notify.contoso.com",
    appNotificationId,
    expirationDateTime: new Date(now.getTime() + 60 * 60_000).toISOString(),
    payload: { visualContent: { title: "Order shipped", body: `Notification ${appNotificationId}` } },
  };
}

/** POST /beta/me/notifications over node:http, so truncated bodies are seen rather than hidden. */
export function postNotification(baseUrl: string, unsId: string, body: unknown, agent: Agent): Promise<PostResult> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = request(`${baseUrl}/beta/me/notifications`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": payload.length, "x-uns-id": unsId },
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "connection-error", code: e.code ?? e.message }));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      const status = res.statusCode ?? 0;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("aborted", () => resolve({ kind: "broken", status, reason: "aborted mid-body" }));
      res.on("error", (e) => resolve({ kind: "broken", status, reason: e.message }));
      res.on("end", () => resolve(judgeAnswer(status, res.headers, Buffer.concat(chunks), unsId)));
    });
    req.end(payload);
  });
}

function judgeAnswer(status: number, headers: IncomingHttpHeaders, raw: Buffer, unsId: string): PostResult {
  const contentLength = headers["content-length"];
  if (contentLength !== undefined && Number(contentLength) !== raw.length)
    return { kind: "broken", status, reason: `content-length ${contentLength} but ${raw.length} bytes` };
  const text = raw.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "broken", status, reason: `not JSON: ${text.slice(0, 80)}` };
  }
  const id = (parsed as { id?: unknown }).id;
  if (status === 201) return typeof id === "string" && GUID.test(id) ? { kind: "accepted", id, unsId } : { kind: "broken", status, reason: "201 without an id" };
  const retryAfter = headers["retry-after"];
  return { kind: "answered", status, body: text.slice(0, 300), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

export interface LoadOptions {
  /** Where each request goes (round-robin across bridges, say). */
  urlFor: (n: number) => string;
  /** The X-UNS-ID of request n (the bridge serialises accepts per target, so spread them for throughput). */
  unsIdFor: (n: number) => string;
  total: number;
  concurrency: number;
  /** A prefix making appNotificationIds unique per run (same id + new content would replace). */
  tag: string;
  /** Called after every result; lanes stop issuing once it returns true or a request fails to connect. */
  onResult?: (r: PostResult, counts: LoadCounts) => boolean | void;
}

export interface LoadCounts {
  accepted: number;
  settled: number;
}

/** Runs `total` POSTs over `concurrency` keep-alive lanes; resolves with every result. */
export async function runLoad(o: LoadOptions): Promise<PostResult[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const results: PostResult[] = [];
  const counts: LoadCounts = { accepted: 0, settled: 0 };
  let next = 0;
  let halted = false;
  const lane = async () => {
    while (!halted && next < o.total) {
      const n = next++;
      const r = await postNotification(o.urlFor(n), o.unsIdFor(n), aVisualNotification(`${o.tag}-${n}`, new Date()), agent);
      results.push(r);
      counts.settled++;
      if (r.kind === "accepted") counts.accepted++;
      if (o.onResult?.(r, counts) === true) halted = true;
      if (r.kind === "connection-error") return; // this lane's server is gone
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, lane));
  } finally {
    agent.destroy();
  }
  return results;
}

export const acceptedIds = (results: PostResult[]): string[] => results.flatMap((r) => (r.kind === "accepted" ? [r.id] : []));

/** Accepted notification id → the X-UNS-ID it was sent for. */
export const acceptedTargets = (results: PostResult[]): Map<string, string> =>
  new Map(results.flatMap((r) => (r.kind === "accepted" ? [[r.id, r.unsId] as const] : [])));
