import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAppHostRules } from "../../src/auth/app-hosts.js";
import type { Caller } from "../../src/auth/types.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import type { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { freshSqliteStore } from "../support/hubs-fixture.js";
import { RECORDED_NOW, testApp } from "../support/test-app.js";

/** Callers by the app id in a test header: the verifier itself is tested in test/auth. */
const byAppHeader = async (header: string | undefined): Promise<Caller> => ({ kind: "app", appId: header?.replace(/^Bearer /, "") ?? "none", tenantId: "t", subject: "s" });

describe("GET /beta/me/notifications/{id} is scoped to the caller's hosts", () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await freshSqliteStore();
  });
  afterEach(() => store.close());

  function app() {
    const strategy = createNotificationHubsStrategy({
      sender: { send: async () => ({}), checkReady: async () => undefined },
      tagTemplate: "$UserId:{unsId}", iosFallbackMode: "deferred", now: () => RECORDED_NOW, mode: { kind: "outbox", store },
    });
    return testApp({ strategy, store, authenticate: byAppHeader, authMode: "entra", appHosts: parseAppHostRules('{"app-a": ["a.contoso.com"], "app-b": ["b.contoso.com"]}') });
  }

  it("shows a notification to the app that may post for its host, and 404s it to another app", async () => {
    const a = app();
    const created = await request(a).post("/beta/me/notifications").set("Authorization", "Bearer app-a").set("X-UNS-ID", "u").send({ targetHostName: "a.contoso.com", payload: { rawContent: "x" } });
    expect(created.status).toBe(201);
    const own = await request(a).get(`/beta/me/notifications/${created.body.id}`).set("Authorization", "Bearer app-a");
    expect(own.status).toBe(200);
    expect(own.body.deliveries).toHaveLength(4);
    const other = await request(a).get(`/beta/me/notifications/${created.body.id}`).set("Authorization", "Bearer app-b");
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("ResourceNotFound");
  });

  it("refuses to post for another app's host", async () => {
    const res = await request(app()).post("/beta/me/notifications").set("Authorization", "Bearer app-b").set("X-UNS-ID", "u").send({ targetHostName: "a.contoso.com", payload: { rawContent: "x" } });
    expect(res.status).toBe(403);
    expect(await store.listDeliveries({ limit: 10 })).toHaveLength(0);
  });
});
