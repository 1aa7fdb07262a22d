import { describe, expect, it } from "vitest";
import { aDelivery } from "../../../test/emulator/ui-fixtures.js";
import { describeDelivery } from "./render-model.js";

const fcm = (message: unknown) =>
  aDelivery({ platform: "fcmv1", format: "fcmv1", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message }) });

describe("describeDelivery: FCM v1", () => {
  it("shows message.notification as an Android notification", () => {
    const view = describeDelivery(fcm({ notification: { title: "T", body: "B" } }));
    expect(view).toMatchObject({ kind: "android-notification", title: "T", body: "B", appName: "hub-a", problems: [] });
  });

  it("lets android.notification override message.notification field by field", () => {
    const view = describeDelivery(fcm({ notification: { title: "T", body: "B" }, android: { notification: { title: "Android T" } } }));
    expect(view).toMatchObject({ title: "Android T", body: "B" });
  });

  it("shows android config fields beside the headers", () => {
    const android = { priority: "HIGH", ttl: "86400s", collapse_key: "ck", notification: { tag: "tg", title: "t" } };
    const view = describeDelivery(fcm({ android }));
    expect(view.headers).toEqual({
      "Content-Type": "application/json",
      "android.priority": "HIGH",
      "android.ttl": "86400s",
      "android.collapse_key": "ck",
      "android.notification.tag": "tg",
    });
  });

  it("names the app by restricted_package_name when given", () => {
    const view = describeDelivery(fcm({ notification: { title: "T" }, android: { restricted_package_name: "com.contoso" } }));
    expect(view.appName).toBe("com.contoso");
  });

  it("shows a data-only message as data, with its fields and headers", () => {
    const view = describeDelivery(fcm({ data: { raw: "r" }, android: { priority: "HIGH" } }));
    expect(view).toMatchObject({ kind: "data", label: "Data message", problems: [] });
    expect(view.headers["android.priority"]).toBe("HIGH");
    expect(JSON.parse(view.data ?? "")).toEqual({ message: { data: { raw: "r" }, android: { priority: "HIGH" } } });
  });

  it("keeps the data map of a notification+data message", () => {
    const view = describeDelivery(fcm({ notification: { title: "T" }, data: { k: "v" } }));
    expect(JSON.parse(view.data ?? "")).toEqual({ k: "v" });
  });

  it("flags data values that are not strings", () => {
    const view = describeDelivery(fcm({ data: { n: 1 } }));
    expect(view.problems).toEqual(["message.data values must be strings: FCM rejects nested objects and numbers"]);
  });

  it("flags a token inside the message", () => {
    const view = describeDelivery(fcm({ token: "t", notification: { title: "T" } }));
    expect(view.problems).toEqual(["message.token is set: Notification Hubs addresses the device itself"]);
  });

  it("refuses a v1 body without the message envelope", () => {
    const view = describeDelivery(aDelivery({ platform: "fcmv1", body: JSON.stringify({ notification: { title: "T" } }) }));
    expect(view).toMatchObject({ kind: "data", problems: ['FCM v1 body must be {"message": {...}}'] });
  });

  it("reads legacy GCM bodies without the envelope", () => {
    const view = describeDelivery(aDelivery({ platform: "gcm", body: JSON.stringify({ notification: { title: "T", body: "B" } }) }));
    expect(view).toMatchObject({ kind: "android-notification", title: "T", body: "B" });
  });

  it("treats a non-JSON body as data", () => {
    expect(describeDelivery(aDelivery({ platform: "fcmv1", body: "nope" }))).toMatchObject({ kind: "data", data: "nope" });
  });
});
