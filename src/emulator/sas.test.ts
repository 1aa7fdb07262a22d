import { describe, expect, it } from "vitest";
import { buildPolicies, DEFAULT_FULL_KEY, DEFAULT_LISTEN_KEY } from "./keys.js";
import { createSasToken, parseSasToken, signSas, verifySasToken } from "./sas.js";

const policies = buildPolicies(DEFAULT_FULL_KEY, DEFAULT_LISTEN_KEY);
const now = new Date("2025-01-01T00:00:00Z");
const inAnHour = new Date(now.getTime() + 3_600_000);
const host = "127.0.0.1:10110";

function verify(authorization: string | undefined, path = "/hub/messages/") {
  return verifySasToken({ authorization, policies: [policies.full, policies.listen], host, path, now });
}

function token(overrides: { uri?: string; expiresAt?: Date; key?: string } = {}) {
  const policy = { ...policies.full, key: overrides.key ?? policies.full.key };
  return createSasToken({ resourceUri: overrides.uri ?? `http://${host}/`, policy, expiresAt: overrides.expiresAt ?? inAnHour });
}

describe("verifySasToken", () => {
  it("accepts a token signed like the SDK does and returns the policy rights", () => {
    expect(verify(token())).toEqual({ ok: true, keyName: policies.full.name, rights: ["Listen", "Send", "Manage"] });
  });

  it("signs the URL-encoded lower-cased resource + newline + expiry with the key's UTF-8 bytes", () => {
    const sr = encodeURIComponent(`http://${host}/`);
    const fields = parseSasToken(token());
    expect(fields?.sr).toBe(sr);
    expect(decodeURIComponent(fields!.sig)).toBe(signSas(DEFAULT_FULL_KEY, sr, fields!.se));
  });

  it("gives the listen policy only the Listen right", () => {
    const t = createSasToken({ resourceUri: `http://${host}/`, policy: policies.listen, expiresAt: inAnHour });
    expect(verify(t)).toMatchObject({ ok: true, rights: ["Listen"] });
  });

  it("refuses a missing header", () => {
    expect(verify(undefined)).toMatchObject({ ok: false, detail: expect.stringContaining("MissingToken") });
  });

  it("refuses a header that is not a SharedAccessSignature", () => {
    expect(verify("Bearer abc")).toMatchObject({ ok: false, detail: expect.stringContaining("MalformedToken") });
  });

  it("refuses a token lacking a field", () => {
    expect(verify(token().replace(/&skn=[^&]*/, ""))).toMatchObject({ ok: false });
  });

  it("refuses a wrong signature", () => {
    expect(verify(token({ key: "not-the-key" }))).toMatchObject({ ok: false, detail: expect.stringContaining("InvalidSignature") });
  });

  it("refuses an unknown key name", () => {
    const t = createSasToken({ resourceUri: `http://${host}/`, policy: { ...policies.full, name: "Other" }, expiresAt: inAnHour });
    expect(verify(t)).toMatchObject({ ok: false, detail: expect.stringContaining("unknown") });
  });

  it("refuses an expired token", () => {
    expect(verify(token({ expiresAt: new Date(now.getTime() - 1000) }))).toMatchObject({
      ok: false,
      detail: expect.stringContaining("ExpiredToken"),
    });
  });

  it("refuses a token for another host", () => {
    expect(verify(token({ uri: "https://other.servicebus.windows.net/" }))).toMatchObject({
      ok: false,
      detail: expect.stringContaining("InvalidAudience"),
    });
  });

  it("accepts a hub-scoped token for that hub and refuses it for another hub", () => {
    const t = token({ uri: `http://${host}/Hub` });
    expect(verify(t, "/hub/installations/x")).toMatchObject({ ok: true });
    expect(verify(t, "/hub2/installations/x")).toMatchObject({ ok: false });
  });

  it("accepts a signature over the decoded resource as the REST prose describes", () => {
    const resource = `http://${host}/`;
    const se = String(Math.floor(inAnHour.getTime() / 1000));
    const sig = encodeURIComponent(signSas(DEFAULT_FULL_KEY, resource, se));
    const t = `SharedAccessSignature sr=${encodeURIComponent(resource)}&sig=${sig}&se=${se}&skn=${policies.full.name}`;
    expect(verify(t)).toMatchObject({ ok: true });
  });
});
