import { expect, it } from "vitest";
import { describeAdapterContract, waitForMode } from "../adapter-contract";
import { OemCredentialRejectedError } from "../errors";

describeAdapterContract("givenergy", {
  wrongCredential: (good) => ({ ...good, apiKey: `${good.apiKey}x` }),
  expiryIsRecoverable: false,
  extra: (context) => {
    it("exchanges an OAuth refresh token for a working bearer token, and the old refresh token only once", async () => {
      const { sim, device, adapter } = context();
      const issued = sim.issueOauthTokens(device.deviceId, 60_000);
      if (!adapter.refreshAccessToken) throw new Error("GivEnergy adapter should refresh");
      const fresh = await adapter.refreshAccessToken(issued.refreshToken);
      expect(fresh.accessToken).not.toBe(issued.accessToken);
      expect(fresh.refreshToken).toBeTruthy();
      expect(fresh.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const state = await adapter.readState({ oem: "givenergy", apiKey: fresh.accessToken, expiresAt: fresh.expiresAt }, device.deviceId);
      expect(state.socPct).toBeGreaterThanOrEqual(0);
      const reused = await adapter.refreshAccessToken(issued.refreshToken).catch((e: unknown) => e);
      expect(reused).toBeInstanceOf(OemCredentialRejectedError);
      expect(String(reused)).not.toContain(issued.refreshToken);
    });

    it("refuses an expired OAuth access token as expired", async () => {
      const { sim, device, adapter } = context();
      const issued = sim.issueOauthTokens(device.deviceId, 300);
      await new Promise((r) => setTimeout(r, 400));
      const error = await adapter.readState({ oem: "givenergy", apiKey: issued.accessToken }, device.deviceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemCredentialRejectedError);
      expect((error as OemCredentialRejectedError).reason).toBe("expired");
    });

    it("is refused by the cloud with a wrong bearer key", async () => {
      const { sim, device } = context();
      const response = await fetch(`${sim.baseUrls.givenergy}/inverter/${device.deviceId}/system-data/latest`, {
        headers: { authorization: "Bearer not-a-real-key" },
      });
      expect(response.status).toBe(401);
    });

    it("tells an expired key from an invalid one by its expiry date", async () => {
      const { sim, device, credential, adapter } = context();
      sim.revokeCredential(device.deviceId);
      const error = await adapter
        .readState({ ...credential, expiresAt: new Date(Date.now() - 1000) }, device.deviceId)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemCredentialRejectedError);
      expect((error as OemCredentialRejectedError).reason).toBe("expired");
    });

    it("discovers setting ids that differ between inverter families", async () => {
      const { sim, adapter } = context();
      const families = new Set<string>();
      for (let i = 0; i < 12 && families.size < 2; i += 1) {
        const device = sim.createDevice({ oem: "givenergy", key: `family-probe-${i}` });
        const native = sim.getDevice(device.deviceId)?.native;
        if (!native || native.oem !== "givenergy" || families.has(native.family)) continue;
        families.add(native.family);
        const credential = device.credential.oem === "givenergy" ? device.credential : null;
        if (!credential) throw new Error("unexpected credential");
        await adapter.setOperationMode(credential, device.deviceId, "IMPORT_FOCUS");
        await waitForMode(adapter, credential, device.deviceId, "IMPORT_FOCUS");
      }
      expect(families.size).toBe(2);
    });

    it("writes a schedule that reads back as TIME_OF_USE", async () => {
      const { adapter, credential, device } = context();
      await adapter.writeSchedule?.(credential, device.deviceId, {
        slots: [
          { start: "00:30", end: "04:30", action: "charge", targetSocPct: 90 },
          { start: "16:00", end: "19:00", action: "discharge" },
        ],
      });
      const state = await waitForMode(adapter, credential, device.deviceId, "TIME_OF_USE");
      expect(state.oemMode).toContain("AC charge");
    });
  },
});
