import { describe, expect, it } from "vitest";
import { applyInstallationPatch } from "./installation-patch.js";
import { parseInstallation } from "./installations.js";
import type { EmulatorInstallation } from "./model.js";

const now = new Date("2025-01-01T00:00:00Z");
const later = new Date("2025-01-02T00:00:00Z");

function anInstallation(overrides: Partial<EmulatorInstallation> = {}): EmulatorInstallation {
  return { hub: "h", installationId: "i", platform: "fcmv1", pushChannel: "tok", tags: ["a", "b"], lastUpdate: now.toISOString(), expirationTime: "x", ...overrides };
}

function patch(ops: unknown, base = anInstallation()) {
  return applyInstallationPatch(base, ops, later);
}

describe("applyInstallationPatch", () => {
  it("adds a tag once", () => {
    expect(patch([{ op: "add", path: "/tags", value: "c" }, { op: "add", path: "/tags", value: "a" }])).toMatchObject({ ok: true, value: { tags: ["a", "b", "c"] } });
  });
  it("removes one tag or all tags", () => {
    expect(patch([{ op: "remove", path: "/tags/a" }])).toMatchObject({ value: { tags: ["b"] } });
    expect(patch([{ op: "remove", path: "/tags" }])).toMatchObject({ value: { tags: [] } });
  });
  it("replaces all tags", () => {
    expect(patch([{ op: "replace", path: "/tags", value: ["x", "y"] }])).toMatchObject({ value: { tags: ["x", "y"] } });
  });
  it("sets and removes the user id", () => {
    expect(patch([{ op: "add", path: "/userId", value: "bob" }])).toMatchObject({ value: { userId: "bob" } });
    const removed = patch([{ op: "remove", path: "/userId" }], anInstallation({ userId: "bob" }));
    expect(removed.ok && removed.value.userId).toBeUndefined();
  });
  it("replaces the push channel and re-validates it", () => {
    expect(patch([{ op: "replace", path: "/pushChannel", value: "tok2" }])).toMatchObject({ value: { pushChannel: "tok2" } });
    expect(patch([{ op: "replace", path: "/pushChannel", value: "zz" }], anInstallation({ platform: "apns", pushChannel: "ab" }))).toMatchObject({ ok: false, error: /hex/ });
  });
  it("adds and removes templates given as JSON text", () => {
    const added = patch([{ op: "add", path: "/templates/t", value: '{"body":"{}"}' }]);
    expect(added).toMatchObject({ value: { templates: { t: { body: "{}" } } } });
    const removed = patch([{ op: "remove", path: "/templates/t" }], (added as { value: EmulatorInstallation }).value);
    expect(removed).toMatchObject({ value: { templates: {} } });
  });
  it("stamps lastUpdate", () => expect(patch([{ op: "add", path: "/tags", value: "c" }])).toMatchObject({ value: { lastUpdate: later.toISOString() } }));
  it("refuses unknown paths, bad ops and an empty patch", () => {
    expect(patch([{ op: "add", path: "/platform", value: "apns" }])).toMatchObject({ ok: false, error: /not supported/ });
    expect(patch([{ op: "move", path: "/tags" }])).toMatchObject({ ok: false });
    expect(patch([])).toMatchObject({ ok: false });
  });
  it("refuses a patch that breaks the tag rules", () => {
    expect(patch([{ op: "add", path: "/tags", value: "bad tag" }])).toMatchObject({ ok: false, error: /invalid/ });
  });
});

describe("parseInstallation", () => {
  const parse = (body: unknown) => parseInstallation({ hub: "h", installationId: "i", body, now });
  it("stores defaults for tags and expiration", () => {
    expect(parse({ installationId: "i", platform: "FCMV1", pushChannel: "t" })).toMatchObject({
      ok: true,
      value: { platform: "fcmv1", tags: [], expirationTime: "9999-12-31T23:59:59.999Z", lastUpdate: now.toISOString() },
    });
  });
  it("requires the body id to match the URL", () => expect(parse({ installationId: "j", platform: "fcmv1", pushChannel: "t" })).toMatchObject({ ok: false }));
  it("refuses baidu", () => expect(parse({ installationId: "i", platform: "baidu", pushChannel: "t" })).toMatchObject({ ok: false, error: /Baidu/ }));
  it("checks the user id characters", () => {
    expect(parse({ installationId: "i", platform: "fcmv1", pushChannel: "t", userId: "a b" })).toMatchObject({ ok: false, error: /userId/ });
  });
  it("requires an https browser endpoint", () => {
    expect(parse({ installationId: "i", platform: "browser", pushChannel: { endpoint: "http://x", p256dh: "a", auth: "b" } })).toMatchObject({ ok: false, error: /https/ });
  });
});
