import { validateLegacyNotification } from "../../../legacy/request-schema.js";
import type { NativeSend } from "../../native-send.js";
import { buildTagExpression, DEFAULT_TAG_TEMPLATE } from "../targeting.js";
import type { MappingContext } from "./context.js";
import { mapToNativeSends } from "./index.js";

/** The fixed values docs/mapping.md states for its worked examples. */
export const DOC_FIXTURE = {
  id: "5e1b7c3a-2f4d-4c8e-9a6b-0d1e2f3a4b5c",
  unsId: "uns-8f14e45f",
  now: new Date("2019-10-30T12:00:00Z"),
  ackToken: "ack-Xq9pL2",
} as const;

export interface DocExample {
  name: string;
  options: Record<string, string>;
  input: unknown;
  /** The output block as written, or undefined when the doc has none yet. */
  output?: unknown;
}

const MARKER = /<!-- example: (\S+) (input|output)((?: \w+=\S+)*) -->\n(?:\n?```json\n([\s\S]*?)\n```)?/g;

/** Every `<!-- example: name input|output key=value... -->` marker with the JSON block after it. */
export function readDocExamples(markdown: string): DocExample[] {
  const byName = new Map<string, DocExample>();
  for (const m of markdown.matchAll(MARKER)) {
    const [, name, role, rawOptions, json] = m;
    const example = byName.get(name) ?? { name, options: {}, input: undefined };
    const parsed = json === undefined ? undefined : (JSON.parse(json) as unknown);
    if (role === "input") {
      example.input = parsed;
      for (const pair of rawOptions.trim().split(" ").filter(Boolean)) {
        const [key, value] = pair.split("=");
        example.options[key] = value;
      }
    } else example.output = parsed;
    byName.set(name, example);
  }
  return [...byName.values()];
}

/** Validates the legacy body as the API does and maps it with the fixed example context. */
export function runDocExample(example: DocExample): NativeSend[] {
  const validated = validateLegacyNotification(example.input, DOC_FIXTURE.now);
  if (!validated.ok) throw new Error(`example ${example.name} is invalid: ${JSON.stringify(validated.problems)}`);
  const ctx: MappingContext = {
    tagExpression: buildTagExpression(DEFAULT_TAG_TEMPLATE, DOC_FIXTURE.unsId),
    iosFallbackMode: example.options.iosFallbackMode === "deferred" ? "deferred" : "immediate",
    ackToken: DOC_FIXTURE.ackToken,
    now: DOC_FIXTURE.now,
  };
  const accepted = { ...validated.value, id: DOC_FIXTURE.id, unsId: DOC_FIXTURE.unsId, createdAt: DOC_FIXTURE.now };
  return mapToNativeSends(accepted, ctx);
}

/** The doc's presentation of sends: JSON bodies parsed, other bodies as strings. */
export function toDocForm(sends: NativeSend[]): unknown[] {
  return sends.map((s) => ({ ...s, body: s.contentType.startsWith("application/json") ? (JSON.parse(s.body) as unknown) : s.body }));
}
