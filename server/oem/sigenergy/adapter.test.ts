import { expect, it } from "vitest";
import { describeAdapterContract } from "../adapter-contract";
import { OemCredentialRejectedError } from "../errors";
import { sigenergyLoginKey } from "./transform";

describeAdapterContract("sigenergy", {
  wrongCredential: (good) => ({ ...good, appSecret: "0".repeat(32) }),
  expiryIsRecoverable: true,
  extra: (context) => {
    it("is refused by the cloud for a wrong app secret at login and for a bogus or expired token", async () => {
      const { sim, credential, device } = context();
      const login = await fetch(`${sim.baseUrls.sigenergy}/openapi/auth/login/key`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: sigenergyLoginKey(credential.appKey, "wrong") }),
      });
      expect(((await login.json()) as { code: number }).code).toBe(11002);

      const bogus = await fetch(`${sim.baseUrls.sigenergy}/openapi/instruction/${device.deviceId}/settings`, {
        headers: { authorization: "Bearer not-a-token" },
      });
      expect(bogus.status).toBe(401);

      const good = await fetch(`${sim.baseUrls.sigenergy}/openapi/auth/login/key`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: sigenergyLoginKey(credential.appKey, credential.appSecret) }),
      });
      const { data } = (await good.json()) as { data: { accessToken: string; expiresIn: number } };
      expect(data.expiresIn).toBeGreaterThanOrEqual(12 * 3600 - 1);
      sim.expireCredential(device.deviceId);
      const expired = await fetch(`${sim.baseUrls.sigenergy}/openapi/instruction/${device.deviceId}/settings`, {
        headers: { authorization: `Bearer ${data.accessToken}` },
      });
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { code: number }).code).toBe(11004);
    });

    it("reports a withdrawn app key as credential rejected", async () => {
      const { sim, device, credential, makeAdapter } = context();
      const fresh = makeAdapter();
      sim.revokeCredential(device.deviceId);
      const error = await fresh.readState(credential, device.deviceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemCredentialRejectedError);
    });

    it("has no schedule write: TIME_OF_USE runs the plan held by the system", () => {
      const { adapter } = context();
      expect(adapter.writeSchedule).toBeUndefined();
    });
  },
});
