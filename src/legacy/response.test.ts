import { describe, expect, it } from "vitest";
import { createdAnswer, storedCreatedAnswer } from "./response.js";
import type { AcceptedNotification } from "./types.js";

const notification: AcceptedNotification = {
  id: "01a243b9-728b-7447-94a0-86795d50a269", unsId: "user 1", createdAt: new Date("2026-12-05T01:00:00Z"),
  targetHostName: "app.example.com", appNotificationId: "a-1", platforms: ["ios"], priority: "High",
  expiresAt: new Date("2026-12-06T01:00:00Z"), visual: { title: "Hi", body: "there" },
} as AcceptedNotification;

describe("the stored 201 answer", () => {
  it("is made again from the notification and the base URL it was accepted with", () => {
    const again = storedCreatedAnswer(JSON.parse(JSON.stringify(notification), (k, v) => (k === "createdAt" || k === "expiresAt" ? new Date(v) : v)), { baseUrl: "https://bridge.example" });
    expect(again).toEqual(createdAnswer(notification, "https://bridge.example"));
    expect(again.location).toBe("https://bridge.example/beta/me/activities/01a243b9-728b-7447-94a0-86795d50a269");
    expect(again.body["@odata.context"]).toBe("https://bridge.example/beta/$metadata#users('user%201')/notifications/$entity");
  });

  it("is used as it is when a row from before kept the whole answer", () => {
    const whole = { body: { ...createdAnswer(notification, "https://old.example").body, priority: "as answered then" }, location: "https://old.example/x" };
    expect(storedCreatedAnswer(notification, whole)).toEqual(whole);
  });
});
