import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildToastXml, escapeXmlAttribute, escapeXmlText } from "./toast-xml.js";

const parser = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true, trimValues: false });

describe("toast XML", () => {
  it("builds a ToastGeneric toast with title then body", () => {
    expect(buildToastXml({ title: "T", body: "B" }, "{}")).toBe(
      '<toast launch="{}"><visual><binding template="ToastGeneric"><text>T</text><text>B</text></binding></visual></toast>',
    );
  });

  it("omits the body text when there is no body", () => {
    expect(buildToastXml({ title: "T" }, "x")).toContain('<binding template="ToastGeneric"><text>T</text></binding>');
  });

  it("escapes markup in text and attributes", () => {
    expect(escapeXmlText("<b>&</b>")).toBe("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(escapeXmlAttribute(`"a" 'b'\n`)).toBe("&quot;a&quot; &apos;b&apos;&#10;");
  });

  it("replaces characters XML cannot carry", () => {
    expect(escapeXmlText("a\u0001b\uFFFEc\uD800d")).toBe("a\uFFFDb\uFFFDc\uFFFDd");
    expect(escapeXmlText("tab\tok 😀")).toBe("tab\tok 😀");
  });

  it("round-trips hostile text through a real XML parser", () => {
    const title = `Tom & "Jerry" <3`;
    const launch = JSON.stringify({ rawContent: "a'b\"c<d>&e\nf" });
    const parsed = parser.parse(buildToastXml({ title, body: "x > y" }, launch));
    expect(parsed.toast["@_launch"]).toBe(launch);
    expect(parsed.toast.visual.binding.text).toEqual([title, "x > y"]);
  });

  it("keeps any printable title and launch intact through a real XML parser (property)", () => {
    const printable = fc.string({ unit: fc.constantFrom("a", " ", "&", "<", ">", '"', "'", "é", "😀", ";", "#"), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(printable.filter((t) => t.trim() === t && t.trim() !== ""), printable, (title, launch) => {
        const parsed = parser.parse(buildToastXml({ title }, launch));
        return String(parsed.toast.visual.binding.text) === title && String(parsed.toast["@_launch"]) === launch;
      }),
    );
  });
});
