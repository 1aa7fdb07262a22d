import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets, redactSecretsDeep } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("masks the key of an NH connection string but keeps the rest readable", () => {
    const text =
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=abc+/def=";
    expect(redactSecrets(text)).toBe(
      `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${REDACTED}`,
    );
  });

  it("masks the signature of a SAS token and nothing else", () => {
    const text = "SharedAccessSignature sr=https%3a%2f%2fns&sig=Zm9v%2Bbar%3D&se=1700000000&skn=Full";
    expect(redactSecrets(text)).toBe(`SharedAccessSignature sr=https%3a%2f%2fns&sig=${REDACTED}&se=1700000000&skn=Full`);
  });

  it("masks bearer tokens whatever the case", () => {
    expect(redactSecrets("authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln")).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redactSecrets("bearer abc-123_x~y")).toBe(`Bearer ${REDACTED}`);
  });

  it("masks OAuth secrets in form bodies and JSON", () => {
    expect(redactSecrets("grant_type=client_credentials&client_secret=s3cr3t~x&scope=a")).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}&scope=a`,
    );
    expect(redactSecrets('{"access_token":"eyJ0eXAi","expires_in":3599}')).toBe(
      `{"access_token":"${REDACTED}","expires_in":3599}`,
    );
  });

  it("masks the password of a URL with credentials", () => {
    expect(redactSecrets("connect postgres://bridge:hunter2@db:5432/gnb failed")).toBe(
      `connect postgres://bridge:${REDACTED}@db:5432/gnb failed`,
    );
  });

  it("leaves ordinary text alone", () => {
    const text = "NH answered 429 for registration 1234; retry after 30 s (SharedAccessKeyName=Listen)";
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("redactSecretsDeep", () => {
  it("redacts strings in nested plain objects and arrays without mutating the input", () => {
    const input = { a: { b: ["sig=xyz", 3] }, c: "Bearer t0k" };
    expect(redactSecretsDeep(input)).toEqual({ a: { b: [`sig=${REDACTED}`, 3] }, c: `Bearer ${REDACTED}` });
    expect(input.c).toBe("Bearer t0k");
  });

  it("censors values under secret keys at any depth, whatever their case or type", () => {
    const keys = new Set(["token", "authorization"]);
    const input = { a: { b: { c: { Token: { nested: "x" } } } }, headers: { AUTHORIZATION: "Basic dXNlcg==" }, n: 1 };
    expect(redactSecretsDeep(input, keys)).toEqual({
      a: { b: { c: { Token: REDACTED } } },
      headers: { AUTHORIZATION: REDACTED },
      n: 1,
    });
  });

  it("returns the very same object when nothing needed redacting", () => {
    const input = { a: { b: ["plain", 1] }, c: "text" };
    expect(redactSecretsDeep(input, new Set(["token"]))).toBe(input);
  });

  it("returns class instances untouched", () => {
    const err = new Error("sig=abc");
    expect(redactSecretsDeep({ err })).toEqual({ err });
  });
});
