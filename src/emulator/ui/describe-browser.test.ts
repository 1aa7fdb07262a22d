import { describe, expect, it } from "vitest";
import { aDelivery } from "../../../test/emulator/ui-fixtures.js";
import { describeDelivery } from "./render-model.js";

const web = (body: string) => aDelivery({ platform: "browser", format: "browser", headers: { TTL: "60", Urgency: "high" }, body });

describe("describeDelivery: browser (Web Push)", () => {
  it("shows a JSON body with a title as a browser notification", () => {
    const view = describeDelivery(web(JSON.stringify({ title: "T", body: "B", url: "/x" })));
    expect(view).toMatchObject({ kind: "browser-notification", title: "T", body: "B", headers: { TTL: "60", Urgency: "high" } });
    expect(JSON.parse(view.data ?? "")).toEqual({ url: "/x" });
  });

  it("shows a JSON body without a title as data", () => {
    const view = describeDelivery(web(JSON.stringify({ raw: "r" })));
    expect(view).toMatchObject({ kind: "data", label: "Web push data" });
    expect(JSON.parse(view.data ?? "")).toEqual({ raw: "r" });
  });

  it("shows a non-JSON body as data", () => {
    expect(describeDelivery(web("plain"))).toMatchObject({ kind: "data", data: "plain" });
  });
});

describe("describeDelivery: other platforms", () => {
  it("shows ADM, Baidu and Xiaomi sends as data", () => {
    const view = describeDelivery(aDelivery({ platform: "xiaomi", headers: { a: "b" }, body: "{}" }));
    expect(view).toMatchObject({ kind: "data", label: "xiaomi push", headers: { a: "b" }, data: "{}" });
  });

  it("leaves data empty for an empty body", () => {
    expect(describeDelivery(aDelivery({ platform: "adm", body: "" })).data).toBeUndefined();
  });
});
