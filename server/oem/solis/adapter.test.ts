import { expect, it } from "vitest";
import { describeAdapterContract, waitForMode } from "../adapter-contract";
import { OemCredentialRejectedError } from "../errors";
import { solisAuthorization, solisContentMd5 } from "./client";

describeAdapterContract("solis", {
  wrongCredential: (good) => ({ ...good, keySecret: "0".repeat(32) }),
  expiryIsRecoverable: false,
  extra: (context) => {
    const signedPost = async (path: string, body: string, options: { secret?: string; contentMd5?: string; date?: string } = {}) => {
      const { sim, credential } = context();
      const contentType = "application/json;charset=UTF-8";
      const contentMd5 = options.contentMd5 ?? solisContentMd5(body);
      const date = options.date ?? new Date().toUTCString();
      return fetch(`${sim.baseUrls.solis}${path}`, {
        method: "POST",
        headers: {
          "content-type": contentType,
          "content-md5": contentMd5,
          date,
          authorization: solisAuthorization(credential.keyId, options.secret ?? credential.keySecret, contentMd5, contentType, date, path),
        },
        body,
      });
    };

    it("is refused by the cloud when the HMAC signature, Content-MD5 or Date is wrong", async () => {
      const { device } = context();
      const body = JSON.stringify({ sn: device.deviceId });
      expect((await signedPost("/v1/api/inverterDetail", body)).status).toBe(200);
      expect((await signedPost("/v1/api/inverterDetail", body, { secret: "wrong" })).status).toBe(403);
      expect((await signedPost("/v1/api/inverterDetail", body, { contentMd5: solisContentMd5("{}") })).status).toBe(403);
      expect((await signedPost("/v1/api/inverterDetail", body, { date: new Date(Date.now() - 3_600_000).toUTCString() })).status).toBe(403);
    });

    it("maps a wrong secret to credential rejected (signature)", async () => {
      const { adapter, credential, device } = context();
      const error = await adapter.readState({ ...credential, keySecret: "f".repeat(32) }, device.deviceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemCredentialRejectedError);
      expect((error as OemCredentialRejectedError).reason).toBe("signature");
    });

    it("writes a schedule that reads back as TIME_OF_USE", async () => {
      const { adapter, credential, device, sim } = context();
      await adapter.writeSchedule?.(credential, device.deviceId, {
        slots: [
          { start: "01:00", end: "05:00", action: "charge" },
          { start: "17:00", end: "19:00", action: "discharge" },
        ],
      });
      await waitForMode(adapter, credential, device.deviceId, "TIME_OF_USE");
      const native = sim.getDevice(device.deviceId)?.native;
      expect(native && native.oem === "solis" ? native.cids[5946] : null).toBe("01:00-05:00");
    });
  },
});
