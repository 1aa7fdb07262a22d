import { describe, expect, it } from "vitest";
import { aDelivery } from "../../../test/emulator/ui-fixtures.js";
import { readToastText } from "./describe-windows.js";
import { describeDelivery } from "./render-model.js";

const toastXml = (texts: string, attrs = "") =>
  `<toast${attrs}><visual><binding template="ToastGeneric">${texts}</binding></visual></toast>`;
const wns = (body: string, type = "wns/toast") =>
  aDelivery({ platform: "wns", format: "windows", headers: { "X-WNS-Type": type, "Content-Type": "application/xml" }, body });

describe("readToastText", () => {
  it("takes the first <text> as title and the next ones as body lines", () => {
    expect(readToastText(toastXml("<text>T</text><text>B1</text><text>B2</text>"))).toEqual({ title: "T", body: "B1\nB2", launch: undefined });
  });

  it("decodes XML entities and keeps text with attributes", () => {
    const xml = toastXml('<text hint-maxLines="1">A &amp; B</text><text id="2">&lt;b&gt;</text>');
    expect(readToastText(xml)).toMatchObject({ title: "A & B", body: "<b>" });
  });

  it("prefers the ToastGeneric binding over legacy ones", () => {
    const xml = '<toast><visual><binding template="ToastText01"><text>old</text></binding>' +
      '<binding template="ToastGeneric"><text>new</text></binding></visual></toast>';
    expect(readToastText(xml)?.title).toBe("new");
  });

  it("reads the launch attribute", () => {
    expect(readToastText(toastXml("<text>T</text>", ' launch="id=42"'))?.launch).toBe("id=42");
  });

  it("returns undefined for malformed XML or another root", () => {
    expect(readToastText("<toast><visual>")).toBeUndefined();
    expect(readToastText("<tile/>")).toBeUndefined();
  });
});

describe("describeDelivery: WNS", () => {
  it("shows a wns/toast as a Windows toast", () => {
    const view = describeDelivery(wns(toastXml("<text>T</text><text>B</text>")));
    expect(view).toMatchObject({ kind: "windows-toast", title: "T", body: "B", headers: { "X-WNS-Type": "wns/toast" }, problems: [] });
  });

  it("shows wns/raw as data with the raw body", () => {
    const view = describeDelivery(wns("raw-bytes", "wns/raw"));
    expect(view).toMatchObject({ kind: "data", label: "Raw notification", data: "raw-bytes" });
  });

  it("labels tile and badge updates as data", () => {
    expect(describeDelivery(wns("<tile/>", "wns/tile")).label).toBe("Tile update");
    expect(describeDelivery(wns("<badge value='1'/>", "wns/badge")).label).toBe("Badge update");
  });

  it("flags a missing X-WNS-Type", () => {
    const view = describeDelivery(aDelivery({ platform: "wns", headers: {}, body: toastXml("<text>T</text>") }));
    expect(view).toMatchObject({ kind: "data", problems: ["no X-WNS-Type header: WNS rejects the request"] });
  });

  it("flags a toast body that is not toast XML", () => {
    expect(describeDelivery(wns("{}")).problems).toEqual(["wns/toast body is not well-formed <toast> XML: Windows drops it"]);
  });

  it("flags a toast without text", () => {
    expect(describeDelivery(wns(toastXml(""))).problems).toEqual(["toast has no <text> elements: nothing to show"]);
  });
});
