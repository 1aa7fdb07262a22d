import { describe, expect, it } from "vitest";
import { buildMetadata, flattenMetadata } from "./metadata.js";
import { aNotification } from "../../../../test/support/mapping-builders.js";

describe("client metadata", () => {
  it("carries every known field in a fixed order", () => {
    const n = aNotification({ groupName: "g", displayTimeToLive: 60 });
    const m = buildMetadata(n, { ackToken: "tok" });
    expect(Object.keys(m)).toEqual(["id", "appNotificationId", "groupName", "targetHostName", "expirationDateTime", "displayTimeToLive", "ackToken"]);
    expect(m).toMatchObject({ id: n.id, appNotificationId: "order42", expirationDateTime: "2030-01-02T00:00:00.000Z", displayTimeToLive: 60, ackToken: "tok" });
  });

  it("omits what the caller did not send and the ack token when there is none", () => {
    const m = buildMetadata(aNotification({ appNotificationId: undefined }), {});
    expect(Object.keys(m)).toEqual(["id", "targetHostName", "expirationDateTime"]);
  });

  it("flattens to gnb_-prefixed string values for FCM", () => {
    const flat = flattenMetadata(buildMetadata(aNotification({ displayTimeToLive: 0 }), {}));
    expect(flat.gnb_displayTimeToLive).toBe("0");
    expect(Object.values(flat).every((v) => typeof v === "string")).toBe(true);
    expect(Object.keys(flat).every((k) => k.startsWith("gnb_"))).toBe(true);
  });
});
