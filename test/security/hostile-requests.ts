import { METHODS } from "node:http";
import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { VALID, deepNesting, hugeBody, invalidUtf8, invalidValue, protoKeys, truncated, wrongField } from "./hostile-bodies.js";

export interface HostileRequest {
  category: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const NOTIFICATIONS = "/beta/me/notifications";
const VALID_TEXT = JSON.stringify(VALID);

function post(category: string, body: string | Buffer, headers: Record<string, string> = {}): HostileRequest {
  return { category, method: "POST", path: NOTIFICATIONS, headers: { "Content-Type": "application/json", "X-UNS-ID": "uns-fuzz", ...headers }, body: Buffer.from(body) };
}

/** Would src/http/legacy-body.ts let this Content-Encoding through as "no encoding"? Those are not hostile. */
const meansIdentity = (v: string) => {
  const enc = v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return enc.length === 0 || (enc.length === 1 && enc[0] === "identity");
};

const headerText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }), // control characters: node's client refuses them
  fc.string({ unit: "grapheme", maxLength: 20 }), // beyond Latin-1: refused by node's client too
);

const contentEncoding = fc
  .oneof(headerText, fc.constantFrom("br", "compress", "zstd", "gzip, gzip", "gzip, deflate", "identity, gzip", "*", "GZIP;q=1", "gzip", "deflate", "x-gzip"))
  .filter((v) => !meansIdentity(v))
  .map((v) => post("content-encoding", VALID_TEXT, { "Content-Encoding": v }));

const BOMB = gzipSync(Buffer.from(JSON.stringify({ ...VALID, pad: " ".repeat(3_000_000) })));
const GZIPPED_VALID = gzipSync(Buffer.from(VALID_TEXT));
const DEFLATED_VALID = deflateSync(Buffer.from(VALID_TEXT));
const compressedGarbage = fc
  .tuple(
    fc.constantFrom("gzip", "deflate", "x-gzip", "GZIP"),
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(a)])),
      fc.nat().map((n) => GZIPPED_VALID.subarray(0, n % GZIPPED_VALID.length)),
      invalidValue.map((v) => gzipSync(Buffer.from(JSON.stringify(v)))),
      fc.constant(DEFLATED_VALID),
      fc.constant(BOMB),
    ),
  )
  .filter(([enc, body]) => !(enc.toLowerCase() === "deflate" && body === DEFLATED_VALID))
  .map(([enc, body]) => post("compressed-garbage", body, { "Content-Encoding": enc }));

/** Control characters other than tab, which HTTP forbids in header values. */
const isControl = (c: string) => {
  const code = c.codePointAt(0)!;
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
};

const unsId = fc
  .oneof(
    fc.tuple(fc.integer({ min: 1025, max: 12_000 }), fc.string({ maxLength: 20 })).map(([n, s]) => `u${s}`.padEnd(n, "x")),
    fc.constantFrom("", " ", "\t", " \t "),
    fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 40 }).filter((s) => [...s].some(isControl)),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((s) => [...s].some((c) => c.codePointAt(0)! > 0xff)),
  )
  .map((v) => post("x-uns-id", VALID_TEXT, { "X-UNS-ID": v }));

const unsIdWithBadBody = fc.tuple(headerText, invalidValue).map(([v, b]) => post("x-uns-id+bad-body", JSON.stringify(b), { "X-UNS-ID": v }));

const conditional = fc
  .tuple(fc.constantFrom("If-Modified-Since", "If-Range"), fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), headerText))
  .map(([h, v]) => post("conditional-header", VALID_TEXT, { [h]: v }));

const charset = fc
  .oneof(fc.constantFrom("utf-16", "utf-16le", "utf-16be", "utf-32", "latin1", "iso-8859-1", "us-ascii", "koi8-r", "ucs-2", "binary", "base64", "hex", "utf-9"), fc.stringMatching(/^[a-z0-9-]{1,20}$/))
  .filter((c) => !/^utf-?[78]$/i.test(c))
  .map((c) => post("charset", VALID_TEXT, { "Content-Type": `application/json; charset=${c}` }));

const OTHER_METHODS = METHODS.filter((m) => m !== "POST" && m !== "CONNECT");
const method = fc
  .tuple(fc.constantFrom(...OTHER_METHODS), fc.constantFrom(NOTIFICATIONS, `${NOTIFICATIONS}/`, "/bridge/preview"), fc.boolean())
  .map(([m, path, withBody]): HostileRequest => ({ category: "method", method: m, path, headers: { "Content-Type": "application/json", "X-UNS-ID": "uns-fuzz" }, body: withBody ? Buffer.from(VALID_TEXT) : undefined }));

const acknowledge = fc
  .tuple(fc.string({ minLength: 1, maxLength: 80 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constant('{"ackToken":"x"}'), truncated))
  .map(([id, body]) => ({ ...post("acknowledge", body), path: `${NOTIFICATIONS}/${encodeURIComponent(id)}/acknowledge` }));

const bodyCategories: Array<[string, fc.Arbitrary<string | Buffer>]> = [
  ["json-value", fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v))],
  ["wrong-type", wrongField.map((v) => JSON.stringify(v))],
  ["deep-nesting", deepNesting],
  ["huge", hugeBody],
  ["proto-keys", protoKeys],
  ["invalid-utf8", invalidUtf8],
  ["truncated", truncated],
];

/** Every request here must be refused with a Graph-shaped 4xx, and must leave nothing behind. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  ...bodyCategories.map(([name, arb]) => arb.map((b) => post(name, b))),
  contentEncoding,
  compressedGarbage,
  unsId,
  unsIdWithBadBody,
  conditional,
  charset,
  method,
  acknowledge,
);
