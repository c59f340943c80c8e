// The publisher's signed samples verify with our signature code, and a notification we send
// verifies with the published algorithm (base64 HMAC-SHA256 of the exact body, node:crypto here).
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notificationRequest } from "@/server/domain/energy-coordination-notifications";
import { verifyEnergyCoordinationPayload } from "@/server/domain/signatures";
import { WEBHOOK_TEST_DATA_DIR } from "./energy-coordination";

const read = (name: string) => readFileSync(join(WEBHOOK_TEST_DATA_DIR, name));

describe("energy-coordination webhook signatures", () => {
  const key = read("signing-key.txt").toString("utf8");

  for (const sample of ["price-curve-event.json", "user-eligibility-event.json"]) {
    it(`verifies the published sample ${sample} with our code, and refuses it altered`, () => {
      const body = read(sample);
      const signature = read(`${sample}.hmacsha256b64`).toString("utf8").trim();
      expect(verifyEnergyCoordinationPayload(key, body, signature)).toBe(true);
      expect(verifyEnergyCoordinationPayload(`${key}x`, body, signature)).toBe(false);
      expect(verifyEnergyCoordinationPayload(key, Buffer.concat([body, Buffer.from(" ")]), signature)).toBe(
        false,
      );
    });
  }

  it("signs a notification we send so that the published algorithm verifies it", () => {
    const { body, headers } = notificationRequest(
      {
        notificationId: "n-1",
        eventId: "e-1",
        eventCreatedAtUtc: "2026-12-03T10:00:00.000Z",
        notificationType: "LocationLPCRequested",
        payload: { payloadType: "LocationLPC", targets: [] },
      },
      key,
      new Date("2026-12-03T10:00:05Z"),
    );
    const expected = createHmac("sha256", key).update(Buffer.from(body, "utf8")).digest("base64");
    expect(headers["x-payload-signature"]).toBe(expected);
    expect(JSON.parse(body)).toMatchObject({
      notificationId: "n-1",
      notificationSentUtc: "2026-12-03T10:00:05.000Z",
      notificationType: "LocationLPCRequested",
    });
  });
});
