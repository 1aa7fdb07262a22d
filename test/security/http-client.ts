import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { expect } from "vitest";

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
}

/**
 * One request over a real socket with node:http, bytes exactly as given (no JSON re-encoding, no
 * automatic decompression). Rejects when the socket fails before an answer arrives.
 */
export function send(baseUrl: string, r: RawRequest, agent?: Agent): Promise<RawAnswer> {
  const url = new URL(r.path, baseUrl);
  const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
  const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
  if (body !== undefined && headers["Content-Length"] === undefined) headers["Content-Length"] = body.length;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method ?? "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The Graph error body: {error: {code, message, innerError: {date, request-id, client-request-id}}}. */
export function isGraphError(a: RawAnswer): boolean {
  if (!/^application\/json/.test(String(a.headers["content-type"] ?? ""))) return false;
  try {
    const e = (JSON.parse(a.text) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }).error;
    return typeof e?.code === "string" && typeof e.message === "string" && GUID.test(String(e.innerError?.["request-id"] ?? ""));
  } catch {
    return false;
  }
}

export function expectGraphError(a: RawAnswer, status: number, code?: string): { code: string; message: string } {
  expect(a.status, a.text).toBe(status);
  expect(isGraphError(a), a.text).toBe(true);
  const e = (JSON.parse(a.text) as { error: { code: string; message: string } }).error;
  if (code) expect(e.code).toBe(code);
  expect(a.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  return e;
}
