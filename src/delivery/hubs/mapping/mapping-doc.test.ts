import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocExamples, runDocExample, toDocForm } from "./doc-examples.js";

// Keeps docs/mapping.md true: every worked example is run through validation and mapping.
const markdown = readFileSync(new URL("../../../../docs/mapping.md", import.meta.url), "utf8");
const examples = readDocExamples(markdown);

describe("docs/mapping.md worked examples", () => {
  it("has the two recorded examples and one per kind, each with input and output", () => {
    expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(["recorded-raw", "recorded-visual", "both", "fallback-immediate", "fallback-deferred"]));
    for (const e of examples) {
      expect(e.input, `${e.name} input`).toBeDefined();
      expect(e.output, `${e.name} output`).toBeDefined();
    }
  });

  it.each(examples.map((e) => [e.name, e] as const))("%s equals what the mapping produces", (_name, example) => {
    const sends = runDocExample(example);
    const shown = toDocForm(sends);
    expect(shown).toEqual(example.output);
    // Same bytes and key order too, and JSON bodies shown parsed serialize back to the real body.
    expect(JSON.stringify(shown)).toBe(JSON.stringify(example.output));
    shown.forEach((s, i) => {
      const body = (s as { body: unknown }).body;
      if (typeof body !== "string") expect(JSON.stringify(body)).toBe(sends[i].body);
    });
  });
});

describe("readDocExamples", () => {
  it("reads markers, options and JSON blocks", () => {
    const md = '<!-- example: a input mode=x -->\n```json\n{"k": 1}\n```\n\n<!-- example: a output -->\n```json\n[]\n```\n';
    expect(readDocExamples(md)).toEqual([{ name: "a", options: { mode: "x" }, input: { k: 1 }, output: [] }]);
  });
});
