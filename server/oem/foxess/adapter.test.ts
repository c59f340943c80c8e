import { expect, it } from "vitest";
import { describeAdapterContract, waitForMode } from "../adapter-contract";
import { OemCredentialRejectedError } from "../errors";
import { foxessSignature } from "./client";

describeAdapterContract("foxess", {
  wrongCredential: (good) => ({ ...good, apiKey: `${good.apiKey.slice(0, -4)}0000` }),
  expiryIsRecoverable: false,
  extra: (context) => {
    it("is refused by the cloud when the MD5 signature is wrong", async () => {
      const { sim, credential } = context();
      const post = async (signature: string) => {
        const response = await fetch(`${sim.baseUrls.foxess}/op/v0/device/list`, {
          method: "POST",
          headers: { token: credential.apiKey, timestamp: String(Date.now()), signature, "content-type": "application/json" },
          body: JSON.stringify({ currentPage: 1, pageSize: 10 }),
        });
        return (await response.json()) as { errno: number };
      };
      expect((await post("0".repeat(32))).errno).toBe(40256);
      // Signing with CR LF instead of the literal four characters is also wrong.
      const timestamp = String(Date.now());
      const crlf = (await import("node:crypto")).createHash("md5").update(`/op/v0/device/list\r\n${credential.apiKey}\r\n${timestamp}`).digest("hex");
      expect((await post(crlf)).errno).toBe(40256);
      expect(foxessSignature("/op/v0/device/list", credential.apiKey, timestamp)).not.toBe(crlf);
    });

    it("maps a refused signature to credential rejected (signature)", async () => {
      const { sim, device, credential } = context();
      const response = await fetch(`${sim.baseUrls.foxess}/op/v3/device/scheduler/get`, {
        method: "POST",
        headers: { token: credential.apiKey, timestamp: "1", signature: foxessSignature("/op/v3/device/scheduler/get", credential.apiKey, "1") },
        body: JSON.stringify({ deviceSN: device.deviceId }),
      });
      expect(((await response.json()) as { errno: number }).errno).toBe(40256);
      const error = new OemCredentialRejectedError("foxess", "signature", "errno 40256");
      expect(error.reason).toBe("signature");
    });

    it("writes a schedule that reads back as TIME_OF_USE and turns the scheduler off for self-reliance", async () => {
      const { adapter, credential, device, sim } = context();
      await adapter.writeSchedule?.(credential, device.deviceId, {
        slots: [
          { start: "23:30", end: "05:30", action: "charge", powerKw: 3 },
          { start: "16:00", end: "19:00", action: "discharge" },
        ],
      });
      await waitForMode(adapter, credential, device.deviceId, "TIME_OF_USE");
      const native = sim.getDevice(device.deviceId)?.native;
      expect(native && native.oem === "foxess" ? native.groups.length : 0).toBe(3);
      await adapter.setOperationMode(credential, device.deviceId, "SELF_RELIANCE");
      await waitForMode(adapter, credential, device.deviceId, "SELF_RELIANCE");
      const after = sim.getDevice(device.deviceId)?.native;
      expect(after && after.oem === "foxess" ? after.schedulerEnabled : true).toBe(false);
    });
  },
});
