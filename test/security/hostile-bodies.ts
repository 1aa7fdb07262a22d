import fc from "fast-check";

/** A notification the bridge accepts; every body generator below breaks it (or wraps it) for sure. */
export const VALID = {
  targetHostName: "notify.contoso.com",
  appNotificationId: "order-42",
  groupName: "orders",
  targetPolicy: { platformTypes: ["windows", "ios", "android", "webpush"] },
  payload: { rawContent: "order 42 shipped", visualContent: { title: "Order 42", body: "Shipped" } },
  displayTimeToLive: 60,
  priority: "High",
} as const;

export const BODY_LIMIT = 65_536;
export const POLLUTION_MARK = "polluted";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const set = (base: Json, path: string[], value: Json | undefined): Json => {
  const copy = structuredClone(base) as Record<string, Json>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, Json>;
  if (value === undefined) delete at[path[path.length - 1]];
  else at[path[path.length - 1]] = value;
  return copy;
};

const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.array(fc.string(), { maxLength: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const notObject = fc.oneof(fc.integer(), fc.boolean(), fc.string(), fc.array(fc.integer(), { maxLength: 3 }));

/** For each field, values that the contract must refuse (null is allowed where the field is optional). */
const WRONG: Array<[string[], fc.Arbitrary<Json | undefined>]> = [
  [["targetHostName"], fc.oneof(notString, fc.constant(null), fc.constant(undefined), fc.constant(""), fc.constant("   "), fc.string({ minLength: 254, maxLength: 400 }).map((s) => `h${s}h`))],
  [["appNotificationId"], fc.oneof(notString, fc.string({ minLength: 1025, maxLength: 1100 }))],
  [["groupName"], notString],
  [["targetPolicy"], notObject],
  [["targetPolicy", "platformTypes"], fc.oneof(fc.string(), fc.integer(), fc.constant({}), fc.array(fc.string({ minLength: 8 }).map((s) => `xx${s}`), { minLength: 1 }), fc.array(fc.integer(), { minLength: 1 }))],
  [["payload"], fc.oneof(notObject, fc.constant(null), fc.constant(undefined), fc.constant({}), fc.constant({ rawContent: null }))],
  [["payload", "rawContent"], fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.array(fc.string(), { maxLength: 2 }))],
  [["payload", "visualContent"], fc.oneof(notObject, fc.constant({}), fc.constant({ body: "no title" }))],
  [["payload", "visualContent", "title"], fc.oneof(notString, fc.constant(null), fc.constant(""), fc.constant(" \t "))],
  [["payload", "visualContent", "body"], fc.oneof(notString, fc.string({ minLength: 4001, maxLength: 4100 }))],
  [["displayTimeToLive"], fc.oneof(fc.boolean(), fc.constant({}), fc.constant([]), fc.integer({ max: -1 }), fc.constant(1.5), fc.constant(2_147_483_648), fc.string().filter((s) => !/^\s*\d+\s*$/.test(s)))],
  [["expirationDateTime"], fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.string().map((s) => `x${s}`), fc.constant("2019-01-01T00:00:00Z"), fc.constant("2999-01-01T00:00:00Z"), fc.constant("2030-13-45T25:61:00Z"))],
  [["priority"], fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]), fc.string().filter((s) => !["high", "low", "none"].includes(s.trim().toLowerCase())))],
  [["fallbackPolicy"], fc.oneof(notObject, fc.constant({}), fc.constant({ endpointFallback: { platformTypes: ["android"], fallbackDelayInSeconds: 60, visualContent: { title: "t" } } }), fc.constant({ endpointFallback: { platformTypes: ["ios"], fallbackDelayInSeconds: 5, visualContent: { title: "t" } } }))],
];

/** VALID with exactly one field given a value of the wrong type or out of bounds. */
export const wrongField: fc.Arbitrary<Json> = fc
  .integer({ min: 0, max: WRONG.length - 1 })
  .chain((i) => WRONG[i][1].map((v) => set(VALID as unknown as Json, WRONG[i][0], v)));

/** Always refused: a wrong field, a missing required field, or a body that is not one object. */
export const invalidValue: fc.Arbitrary<Json> = fc.oneof(
  wrongField,
  fc.constant(set(VALID as unknown as Json, ["targetHostName"], undefined)),
  fc.jsonValue({ maxDepth: 4 }).filter((v) => v === null || typeof v !== "object" || Array.isArray(v)) as fc.Arbitrary<Json>,
);

const PROTO_EXTRAS = [
  `"__proto__":{"${POLLUTION_MARK}":"yes","isAdmin":true}`,
  `"constructor":{"prototype":{"${POLLUTION_MARK}":"yes"}}`,
  `"prototype":{"${POLLUTION_MARK}":"yes"}`,
];

/** JSON text with `extras` written into every object, at every level (JSON.stringify cannot write own __proto__ keys). */
export function stringifyWithExtras(v: Json, extras: string[]): string {
  if (Array.isArray(v)) return `[${v.map((x) => stringifyWithExtras(x, extras)).join(",")}]`;
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const members = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${stringifyWithExtras(x, extras)}`);
  return `{${[...extras, ...members].join(",")}}`;
}

export const protoKeys = fc
  .tuple(invalidValue, fc.subarray(PROTO_EXTRAS, { minLength: 1 }))
  .map(([v, extras]) => stringifyWithExtras(v, extras));

/** Valid notifications with prototype-polluting keys everywhere (for the preview property). */
export const validWithProtoKeys = fc.subarray(PROTO_EXTRAS, { minLength: 1 }).map((extras) => stringifyWithExtras(VALID as unknown as Json, extras));

export const deepNesting = fc.record({ depth: fc.integer({ min: 1000, max: 12_000 }), shape: fc.constantFrom("array", "object", "in-payload", "in-visual") }).map(({ depth, shape }) => {
  const objects = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  if (shape === "array") return `${"[".repeat(depth)}${"]".repeat(depth)}`;
  if (shape === "object") return objects;
  if (shape === "in-payload") return `{"targetHostName":"notify.contoso.com","payload":${objects}}`;
  return `{"targetHostName":"notify.contoso.com","payload":{"rawContent":"x","visualContent":${objects}}}`;
});

export const hugeBody = fc.record({ size: fc.integer({ min: BODY_LIMIT - 6000, max: BODY_LIMIT + 6000 }), where: fc.constantFrom("host", "array", "unknown-field", "raw-without-host") }).map(({ size, where }) => {
  const big = "A".repeat(size);
  if (where === "host") return JSON.stringify({ ...VALID, targetHostName: big });
  if (where === "array") return `[${"1,".repeat(Math.floor(size / 2))}1]`;
  if (where === "unknown-field") return JSON.stringify({ ...VALID, targetHostName: undefined, padding: big });
  return JSON.stringify({ payload: { rawContent: big } });
});

const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xc0, 0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

/**
 * Invalid whatever its strings say (a spliced byte decodes to U+FFFD, which could turn an empty
 * host into a valid one): a required member is missing, or the body is not an object.
 */
const invalidWhateverTheStrings: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(set(VALID as unknown as Json, ["targetHostName"], undefined), set(VALID as unknown as Json, ["payload"], undefined)),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => v === null || typeof v !== "object" || Array.isArray(v)) as fc.Arbitrary<Json>,
);

/** An invalid body's bytes with invalid UTF-8 sequences spliced in, or nothing but random bytes. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc.oneof(
  fc.tuple(invalidWhateverTheStrings, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8)), { minLength: 1, maxLength: 5 })).map(([v, cuts]) => {
    let bytes = Buffer.from(JSON.stringify(v));
    for (const [at, seq] of cuts) {
      const i = at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(seq), bytes.subarray(i)]);
    }
    return bytes;
  }),
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((a) => Buffer.from(a)),
);

/** The valid body cut short anywhere. */
export const truncated = fc.nat().map((n) => {
  const text = JSON.stringify(VALID);
  return text.slice(0, n % text.length);
});
