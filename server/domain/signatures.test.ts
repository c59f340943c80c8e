import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BATTERY_CONTROL_SIGNATURE_HEADER,
  DISPATCH_SIGNATURE_HEADER,
  ENERGY_COORDINATION_SIGNATURE_HEADER,
  SCHEDULE_PUSH_SIGNATURE_HEADER,
  SCHEDULE_PUSH_TIMESTAMP_HEADER,
  signBatteryControlWebhook,
  signDispatchEvent,
  signEnergyCoordinationPayload,
  signHmacSha256Hex,
  signSchedulePush,
  verifyBatteryControlWebhook,
  verifyDispatchEvent,
  verifyEnergyCoordinationPayload,
  verifySchedulePush,
} from "./signatures";

const SECRET = "whsec_test_secret";
const BODY = '{"connectorId":1,"csChargingProfiles":{"chargingProfileId":7}}';
const NOW = new Date("2026-03-01T12:00:00Z");

describe("signHmacSha256Hex", () => {
  it("matches the RFC 4231 test vector", () => {
    const key = Buffer.alloc(20, 0x0b);
    expect(signHmacSha256Hex(key, "Hi There")).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  });

  it("signs bytes and the equivalent UTF-8 string alike", () => {
    expect(signHmacSha256Hex(SECRET, Buffer.from("£5 café", "utf8"))).toBe(signHmacSha256Hex(SECRET, "£5 café"));
  });
});

describe("schedule push signature", () => {
  it("signs the timestamp and raw body as sha256=<hex>", () => {
    const headers = signSchedulePush(SECRET, BODY, NOW);
    const timestamp = String(NOW.getTime() / 1000);
    expect(headers[SCHEDULE_PUSH_TIMESTAMP_HEADER]).toBe(timestamp);
    const expected = createHmac("sha256", SECRET).update(`${timestamp}.${BODY}`).digest("hex");
    expect(headers[SCHEDULE_PUSH_SIGNATURE_HEADER]).toBe(`sha256=${expected}`);
  });

  it("verifies its own signature within the tolerance", () => {
    const headers = signSchedulePush(SECRET, BODY, NOW);
    const later = new Date(NOW.getTime() + 299_000);
    expect(
      verifySchedulePush({
        secret: SECRET,
        rawBody: Buffer.from(BODY),
        timestampHeader: headers[SCHEDULE_PUSH_TIMESTAMP_HEADER],
        signatureHeader: headers[SCHEDULE_PUSH_SIGNATURE_HEADER],
        now: later,
      }),
    ).toEqual({ ok: true });
  });

  it("rejects a replay outside the tolerance as stale", () => {
    const headers = signSchedulePush(SECRET, BODY, NOW);
    const result = verifySchedulePush({
      secret: SECRET,
      rawBody: BODY,
      timestampHeader: headers[SCHEDULE_PUSH_TIMESTAMP_HEADER],
      signatureHeader: headers[SCHEDULE_PUSH_SIGNATURE_HEADER],
      now: new Date(NOW.getTime() + 301_000),
    });
    expect(result).toEqual({ ok: false, reason: "stale" });
  });

  it("rejects a moved timestamp, a changed body or a wrong secret as a mismatch", () => {
    const headers = signSchedulePush(SECRET, BODY, NOW);
    const base = {
      secret: SECRET,
      rawBody: BODY,
      timestampHeader: headers[SCHEDULE_PUSH_TIMESTAMP_HEADER],
      signatureHeader: headers[SCHEDULE_PUSH_SIGNATURE_HEADER],
      now: NOW,
    };
    expect(verifySchedulePush({ ...base, timestampHeader: String(Number(base.timestampHeader) + 1) })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySchedulePush({ ...base, rawBody: BODY.replace("7", "8") })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySchedulePush({ ...base, secret: "other" })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("accepts any of several secrets during a rotation", () => {
    const headers = signSchedulePush("new-secret", BODY, NOW);
    expect(
      verifySchedulePush({
        secret: ["old-secret", "new-secret"],
        rawBody: BODY,
        timestampHeader: headers[SCHEDULE_PUSH_TIMESTAMP_HEADER],
        signatureHeader: headers[SCHEDULE_PUSH_SIGNATURE_HEADER],
        now: NOW,
      }),
    ).toEqual({ ok: true });
  });

  it("reports missing and malformed headers", () => {
    const base = { secret: SECRET, rawBody: BODY, now: NOW };
    expect(verifySchedulePush({ ...base, timestampHeader: undefined, signatureHeader: "sha256=00" })).toEqual({ ok: false, reason: "missing" });
    expect(verifySchedulePush({ ...base, timestampHeader: "1", signatureHeader: null })).toEqual({ ok: false, reason: "missing" });
    expect(verifySchedulePush({ ...base, timestampHeader: "yesterday", signatureHeader: `sha256=${"a".repeat(64)}` })).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(verifySchedulePush({ ...base, timestampHeader: "1", signatureHeader: `sha1=${"a".repeat(40)}` })).toEqual({ ok: false, reason: "malformed" });
    expect(verifySchedulePush({ ...base, timestampHeader: "1", signatureHeader: `sha256=${"z".repeat(64)}` })).toEqual({ ok: false, reason: "malformed" });
  });

  it("round-trips for any body and secret", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, secret) => {
        const headers = signSchedulePush(secret, body, NOW);
        const result = verifySchedulePush({
          secret,
          rawBody: body,
          timestampHeader: headers[SCHEDULE_PUSH_TIMESTAMP_HEADER],
          signatureHeader: headers[SCHEDULE_PUSH_SIGNATURE_HEADER],
          now: NOW,
        });
        expect(result).toEqual({ ok: true });
      }),
      { numRuns: 100 },
    );
  });
});

describe("battery-control webhook signature", () => {
  it("is sha1=<hex HMAC-SHA1 of the raw body> in x-enode-signature", () => {
    expect(BATTERY_CONTROL_SIGNATURE_HEADER).toBe("x-enode-signature");
    const expected = createHmac("sha1", SECRET).update(BODY).digest("hex");
    expect(signBatteryControlWebhook(SECRET, BODY)).toBe(`sha1=${expected}`);
  });

  it("verifies the right signature and rejects tampering", () => {
    const header = signBatteryControlWebhook(SECRET, BODY);
    expect(verifyBatteryControlWebhook(SECRET, BODY, header)).toBe(true);
    expect(verifyBatteryControlWebhook(SECRET, Buffer.from(BODY), header.toUpperCase().replace("SHA1=", "sha1="))).toBe(true);
    expect(verifyBatteryControlWebhook(SECRET, `${BODY} `, header)).toBe(false);
    expect(verifyBatteryControlWebhook("wrong", BODY, header)).toBe(false);
    expect(verifyBatteryControlWebhook(SECRET, BODY, header.replace("sha1=", ""))).toBe(false);
    expect(verifyBatteryControlWebhook(SECRET, BODY, undefined)).toBe(false);
    expect(verifyBatteryControlWebhook(SECRET, BODY, "sha1=abc")).toBe(false);
  });
});

describe("dispatch signature", () => {
  it("is the hex HMAC-SHA256 of the event id in X-Axle-Signature", () => {
    expect(DISPATCH_SIGNATURE_HEADER).toBe("X-Axle-Signature");
    const eventId = "3f0c2a4e-9a61-4c1b-8f0e-0d8a5b7c9e21";
    const expected = createHmac("sha256", SECRET).update(eventId).digest("hex");
    expect(signDispatchEvent(SECRET, eventId)).toBe(expected);
    expect(verifyDispatchEvent(SECRET, eventId, expected)).toBe(true);
    expect(verifyDispatchEvent(SECRET, "another-event", expected)).toBe(false);
    expect(verifyDispatchEvent(SECRET, eventId, `sha256=${expected}`)).toBe(false);
    expect(verifyDispatchEvent(SECRET, eventId, "")).toBe(false);
  });
});

describe("energy-coordination signature", () => {
  it("is the Base64 HMAC-SHA256 of the raw body in X-Payload-Signature", () => {
    expect(ENERGY_COORDINATION_SIGNATURE_HEADER).toBe("X-Payload-Signature");
    const expected = createHmac("sha256", SECRET).update(BODY).digest("base64");
    expect(signEnergyCoordinationPayload(SECRET, BODY)).toBe(expected);
    expect(verifyEnergyCoordinationPayload(SECRET, BODY, expected)).toBe(true);
    expect(verifyEnergyCoordinationPayload(SECRET, `${BODY}\n`, expected)).toBe(false);
    expect(verifyEnergyCoordinationPayload(SECRET, BODY, Buffer.from(expected, "base64").toString("hex"))).toBe(false);
    expect(verifyEnergyCoordinationPayload(SECRET, BODY, "not base64!")).toBe(false);
    expect(verifyEnergyCoordinationPayload(SECRET, BODY, null)).toBe(false);
  });
});
