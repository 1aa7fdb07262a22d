import { Agent } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSecuredBridge, type SecuredBridge } from "./bridge-fixture.js";
import { POLLUTION_MARK, VALID, validWithProtoKeys } from "./hostile-bodies.js";
import { hostileRequest, type HostileRequest } from "./hostile-requests.js";
import { isGraphError, send, type RawAnswer } from "./http-client.js";

const RUNS = Number(process.env.HOSTILE_RUNS ?? 1500);
const SEED = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : undefined;
/** Node's http client refuses these header values itself (control characters, beyond Latin-1): they never reach the server. */
const CLIENT_REFUSALS = new Set(["ERR_INVALID_CHAR", "ERR_INVALID_HTTP_TOKEN"]);

let b: SecuredBridge;
let agent: Agent;
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  // The whole bridge as deployed on loopback: no auth, so hostile bodies reach the parsers; worker running.
  b = await startSecuredBridge({ AUTH_MODE: "none", LOG_LEVEL: "info" });
  agent = new Agent({ keepAlive: true, maxSockets: 4 });
});
afterAll(async () => {
  agent?.destroy();
  await b?.close();
});

async function countSends(): Promise<number> {
  const r = await fetch(`${b.bridge.emulatorUrl}/_emulator/api/hubs/bridge/notifications`);
  return ((await r.json()) as { notifications: unknown[] }).notifications.length;
}

/** Sends one case; undefined when node's own client refused to put it on the wire. */
async function attempt(r: HostileRequest): Promise<RawAnswer | undefined> {
  try {
    return await send(b.bridge.url, r, agent);
  } catch (e) {
    if (CLIENT_REFUSALS.has((e as { code?: string }).code ?? "")) return undefined;
    throw e;
  }
}

const describeCase = (r: HostileRequest, a: RawAnswer) =>
  `${r.category} ${r.method} ${r.path.slice(0, 80)} ${JSON.stringify(r.headers).slice(0, 200)} body[${r.body?.length ?? 0}]=${r.body?.subarray(0, 120).toString("utf8")} -> ${a.status} ${a.text.slice(0, 300)}`;

describe("hostile input over a real socket", () => {
  it(`refuses ${RUNS} generated malformed requests with Graph-shaped 4xx, storing and sending nothing`, async () => {
    const statuses = new Map<number, number>();
    const categories = new Map<string, number>();
    let refusedByClient = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (r) => {
        const a = await attempt(r);
        categories.set(r.category, (categories.get(r.category) ?? 0) + 1);
        if (!a) return void (refusedByClient += 1);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        expect(a.status >= 400 && a.status < 500, describeCase(r, a)).toBe(true);
        if (r.method !== "HEAD") expect(isGraphError(a), describeCase(r, a)).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `hostile input: ${RUNS} cases, ${RUNS - refusedByClient} sent, ${refusedByClient} refused by node's client; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([x], [y]) => x - y)))}; 5xx = ${fivexx}; ` +
        `categories ${JSON.stringify(Object.fromEntries(categories))}`,
    );
    expect(fivexx).toBe(0);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>)[POLLUTION_MARK]).toBeUndefined();
    expect(b.countNotifications()).toBe(0);
    expect(await countSends()).toBe(0);
    expect(b.log.raw.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
    expect((await send(b.bridge.url, { method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it("builds one exact tag from any X-UNS-ID and ignores __proto__ keys (preview: nothing stored or sent)", async () => {
    const injection = fc.oneof(
      fc.constantFrom("a || $UserId:{victim}", "x) || (tag", "$UserId:{victim}", "} || {", "!a && b", "h-0123", "*", "a,b"),
      fc.string({ minLength: 1, maxLength: 1024 }).filter((s) => s.trim().length > 0),
    );
    await fc.assert(
      fc.asyncProperty(injection, validWithProtoKeys, async (uns, body) => {
        const a = await attempt({ category: "preview", method: "POST", path: "/bridge/preview", headers: { "Content-Type": "application/json", "X-UNS-ID": uns }, body: Buffer.from(body) });
        if (!a) return;
        expect(a.status, a.text).toBe(200);
        const sends = (JSON.parse(a.text) as { sends: Array<{ tagExpression: string }> }).sends;
        expect(sends.length).toBeGreaterThan(0);
        for (const s of sends) expect(s.tagExpression).toMatch(/^\$UserId:\{[A-Za-z0-9_@#.:-]{1,64}\}$/);
      }),
      { numRuns: 200, seed: SEED },
    );
    expect(({} as Record<string, unknown>)[POLLUTION_MARK]).toBeUndefined();
    expect(b.countNotifications()).toBe(0);
    expect(await countSends()).toBe(0);
  });

  it("header values with control characters, sent as raw bytes, are refused by Node's parser with 400", async () => {
    const { port } = new URL(b.bridge.url);
    for (const value of ["a\x01b", "a\x00b", "a\x7fb", "a\rb"]) {
      const raw = `POST /beta/me/notifications HTTP/1.1\r\nHost: x\r\nX-UNS-ID: ${value}\r\nContent-Length: 2\r\n\r\n{}`;
      const answer = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = connect(Number(port), "127.0.0.1", () => socket.end(Buffer.from(raw, "latin1")));
        socket.on("data", (c: Buffer) => chunks.push(c));
        socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(b.countNotifications()).toBe(0);
  });

  it("the base body of the generators is itself valid (so each mutation is what gets refused)", async () => {
    const a = await send(b.bridge.url, { path: "/bridge/preview", headers: { "Content-Type": "application/json", "X-UNS-ID": "uns-fuzz" }, body: JSON.stringify(VALID) });
    expect(a.status, a.text).toBe(200);
  });
});
