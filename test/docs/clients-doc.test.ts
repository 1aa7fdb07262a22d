import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_B, startClientBridge, type ClientBridge } from "../devices/client-fixture.js";
import { send } from "../security/http-client.js";

/**
 * docs/clients.md, run: each ```http request block is sent to the whole bridge (fake Entra, real
 * verifier, embedded emulator) in the order of the page, with the placeholder tokens replaced by
 * real ones; the answer must have the example's status, headers and JSON. Ids and dates the
 * bridge makes up match by kind (a UUID, a date), and an id learnt from one answer must be the
 * same wherever the page uses it again.
 */
const DOC_BASE = "https://bridge.contoso.com";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}Z)?$/;

interface Example {
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body?: string };
}

function parseBlock(block: string): { start: string; headers: Record<string, string>; body?: string } {
  const [head, ...rest] = block.split("\n\n");
  const [start, ...lines] = head.split("\n");
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  const body = rest.join("\n\n").trim();
  return { start, headers, body: body || undefined };
}

function readExamples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```http\n([\s\S]*?)```/g)].map((m) => parseBlock(m[1].trimEnd()));
  const examples: Example[] = [];
  for (let i = 0; i < blocks.length; i += 2) {
    const [method, path] = blocks[i].start.split(" ");
    const status = Number(blocks[i + 1].start.split(" ")[1]);
    examples.push({ request: { method, path, headers: blocks[i].headers, body: blocks[i].body }, response: { status, headers: blocks[i + 1].headers, body: blocks[i + 1].body } });
  }
  return examples;
}

const markdown = readFileSync(new URL("../../docs/clients.md", import.meta.url), "utf8");
const examples = readExamples(markdown);

let b: ClientBridge;
const learnt = new Map<string, string>(); // example value -> the bridge's
beforeAll(async () => {
  b = await startClientBridge();
});
afterAll(async () => {
  await b?.close();
});

const fill = (text: string): string => [...learnt].reduce((t, [example, actual]) => t.split(example).join(actual), text);
const unfill = (text: string): string => [...learnt].reduce((t, [example, actual]) => t.split(actual).join(example), text.split(b.bridge.url).join(DOC_BASE));

/** Compares an example JSON value with the bridge's, learning made-up ids on the way. */
function expectLike(example: unknown, actual: unknown, at: string): void {
  if (typeof example === "string" && (UUID.test(example) || DATE.test(example))) {
    const kind = UUID.test(example) ? UUID : DATE;
    expect(String(actual), at).toMatch(kind);
    if (kind === UUID && !learnt.has(example)) learnt.set(example, String(actual));
    if (kind === UUID) expect(actual, at).toBe(learnt.get(example));
    return;
  }
  if (typeof example === "string") return void expect(unfill(String(actual)), at).toBe(example);
  if (Array.isArray(example)) {
    expect(Array.isArray(actual) && actual.length, at).toBe(example.length);
    return example.forEach((e, i) => expectLike(e, (actual as unknown[])[i], `${at}[${i}]`));
  }
  if (example && typeof example === "object") {
    expect(Object.keys(actual as object).sort(), at).toEqual(Object.keys(example).sort());
    for (const [k, v] of Object.entries(example)) expectLike(v, (actual as Record<string, unknown>)[k], `${at}.${k}`);
    return;
  }
  expect(actual, at).toEqual(example);
}

async function tokenFor(placeholder: string): Promise<string> {
  if (placeholder === "Bearer <the user's token>") return `Bearer ${await b.userToken()}`;
  if (placeholder === "Bearer <another user's token>") return `Bearer ${await b.userToken({ oid: "bbbbbbbb-0000-4000-8000-0000000000d0" })}`;
  if (placeholder === "Bearer <the app service's token>") return `Bearer ${await b.tokenFor(APP_B)}`;
  throw new Error(`unknown token placeholder in docs/clients.md: ${placeholder}`);
}

describe("docs/clients.md", () => {
  it("has request and response examples for iOS, Android, Windows and web apps, in that order", () => {
    const platforms = examples.map((e) => /"platform": "(\w+)"/.exec(e.request.body ?? "")?.[1]).filter(Boolean);
    expect(platforms.slice(0, 4)).toEqual(["apns", "fcmv1", "wns", "browser"]);
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it("answers every example as the page shows, in the page's order", async () => {
    for (const [n, { request, response }] of examples.entries()) {
      const at = `example ${n + 1}: ${request.method} ${request.path}`;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) {
        if (k === "host") continue;
        headers[k] = k === "authorization" ? await tokenFor(v) : fill(v);
      }
      const a = await send(b.bridge.url, { method: request.method, path: fill(request.path), headers, body: request.body === undefined ? undefined : fill(request.body) });
      expect(a.status, `${at}: ${a.text}`).toBe(response.status);
      if (response.body !== undefined) expectLike(JSON.parse(response.body), JSON.parse(a.text), at);
      else expect(a.text, at).toBe("");
      for (const [k, v] of Object.entries(response.headers)) {
        const actual = String(a.headers[k] ?? "");
        if (k === "content-type") expect(actual, at).toMatch(/^application\/json/);
        else if (k === "etag") expect(actual, at).toMatch(/^"[0-9a-z]+"$/);
        else expect(unfill(actual), `${at}: header ${k}`).toBe(v);
      }
    }
  });
});
