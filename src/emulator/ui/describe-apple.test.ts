import { describe, expect, it } from "vitest";
import { aDelivery } from "../../../test/emulator/ui-fixtures.js";
import { describeDelivery } from "./render-model.js";

const apns = (aps: unknown, headers: Record<string, string> = { "apns-push-type": "alert", "apns-priority": "10" }, extra = {}) =>
  aDelivery({ platform: "apns", format: "apple", headers, body: JSON.stringify({ aps, ...extra }) });

describe("describeDelivery: APNs", () => {
  it("shows an alert dictionary as an iOS banner with title, subtitle and body", () => {
    const view = describeDelivery(apns({ alert: { title: "T", subtitle: "S", body: "B" } }));
    expect(view).toMatchObject({ kind: "ios-banner", title: "T", subtitle: "S", body: "B", problems: [] });
  });

  it("takes a string alert as the body", () => {
    expect(describeDelivery(apns({ alert: "just text" }))).toMatchObject({ kind: "ios-banner", body: "just text" });
    expect(describeDelivery(apns({ alert: "just text" })).title).toBeUndefined();
  });

  it("falls back to loc keys when no text is given", () => {
    const view = describeDelivery(apns({ alert: { "title-loc-key": "GREETING", "loc-key": "BODY_KEY" } }));
    expect(view).toMatchObject({ kind: "ios-banner", title: "GREETING", body: "BODY_KEY" });
  });

  it("names the app by apns-topic, else by hub", () => {
    const topic = apns({ alert: "x" }, { "apns-push-type": "alert", "apns-topic": "com.contoso.app" });
    expect(describeDelivery(topic).appName).toBe("com.contoso.app");
    expect(describeDelivery(apns({ alert: "x" })).appName).toBe("hub-a");
  });

  it("keeps custom keys beside aps as data of the banner", () => {
    const view = describeDelivery(apns({ alert: "x" }, undefined, { meta: { id: "42" } }));
    expect(JSON.parse(view.data ?? "")).toEqual({ meta: { id: "42" } });
  });

  it("reads headers case-insensitively and passes them all through", () => {
    const view = describeDelivery(apns({ alert: "x" }, { "APNS-Push-Type": "alert", "apns-collapse-id": "c1" }));
    expect(view.kind).toBe("ios-banner");
    expect(view.headers).toEqual({ "APNS-Push-Type": "alert", "apns-collapse-id": "c1" });
  });

  it("shows a well-formed background push as data with its body", () => {
    const view = describeDelivery(apns({ "content-available": 1 }, { "apns-push-type": "background", "apns-priority": "5" }, { raw: "r" }));
    expect(view).toMatchObject({ kind: "data", label: "Background push", problems: [] });
    expect(JSON.parse(view.data ?? "")).toEqual({ aps: { "content-available": 1 }, raw: "r" });
    expect(view.headers["apns-push-type"]).toBe("background");
  });

  it("flags a background push sent with priority 10", () => {
    const view = describeDelivery(apns({ "content-available": 1 }, { "apns-push-type": "background", "apns-priority": "10" }));
    expect(view.problems).toEqual(["apns-push-type background needs apns-priority 5: APNs rejects other values"]);
  });

  it("does not show an alert carried by a background push, and says why", () => {
    const view = describeDelivery(apns({ alert: "x", "content-available": 1 }, { "apns-push-type": "background", "apns-priority": "5" }));
    expect(view.kind).toBe("data");
    expect(view.problems).toContain("apns-push-type background with alert/sound/badge: iOS will not show it");
  });

  it("flags a background push that does not set content-available", () => {
    const view = describeDelivery(apns({}, { "apns-push-type": "background", "apns-priority": "5" }));
    expect(view).toMatchObject({ kind: "data", label: "Silent push" });
    expect(view.problems).toEqual(["background push without aps.content-available: 1: the app is not woken"]);
  });

  it("flags a missing apns-push-type", () => {
    expect(describeDelivery(apns({ alert: "x" }, {})).problems).toEqual(["no apns-push-type header: APNs may delay or drop the push"]);
  });

  it("treats a non-JSON body as data and says APNs rejects it", () => {
    const view = describeDelivery(aDelivery({ body: "<not json>" }));
    expect(view).toMatchObject({ kind: "data", data: "<not json>", problems: ["body is not a JSON object: APNs rejects it"] });
  });

  it("keeps hostile text as plain strings (escaping is the page's job)", () => {
    const view = describeDelivery(apns({ alert: { title: "<script>alert(1)</script>", body: "&amp;" } }));
    expect(view).toMatchObject({ title: "<script>alert(1)</script>", body: "&amp;" });
  });
});
