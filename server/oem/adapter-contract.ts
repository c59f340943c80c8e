// Shared behaviour every adapter must show against the simulator over real HTTP.
// Imported by each <oem>/adapter.test.ts; not a test file itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type CreatedDevice, type SimulatorHandle } from "@/simulator/index";
import { createOemAdapter } from "./index";
import { OemCredentialRejectedError, OemDeviceNotFoundError, OemRateLimitedError, OemUnavailableError } from "./errors";
import type { BatteryState, CredentialFor, Oem, OemAdapter, OemAdapterConfig, OperationMode } from "./types";

export const MODE_CHANGE_DELAY_MS = 400;

export interface ContractContext<O extends Oem> {
  sim: SimulatorHandle;
  device: CreatedDevice;
  credential: CredentialFor<O>;
  adapter: OemAdapter<O>;
  makeAdapter(overrides?: Partial<OemAdapterConfig>): OemAdapter<O>;
}

export function fastConfig(baseUrl: string, overrides: Partial<OemAdapterConfig> = {}): OemAdapterConfig {
  return {
    baseUrl,
    timeoutMs: 2_000,
    maxAttempts: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 40,
    rateLimit: { requestsPerSecond: 500, burst: 100 },
    ...overrides,
  };
}

export async function waitForMode<O extends Oem>(
  adapter: OemAdapter<O>,
  credential: CredentialFor<O>,
  deviceId: string,
  mode: OperationMode,
  timeoutMs = 4_000,
): Promise<BatteryState> {
  const deadline = Date.now() + timeoutMs;
  let last: BatteryState | null = null;
  while (Date.now() < deadline) {
    last = await adapter.readState(credential, deviceId);
    if (last.operationMode === mode) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`mode ${mode} not observed; last was ${last?.operationMode ?? "none"} (${last?.oemMode ?? ""})`);
}

function secretsOf(credential: CredentialFor<Oem>): string[] {
  switch (credential.oem) {
    case "foxess":
    case "givenergy":
      return [credential.apiKey];
    case "solis":
      return [credential.keySecret];
    case "sigenergy":
      return [credential.appSecret];
  }
}

/** Runs the shared contract; `extra` adds OEM-specific cases with the same simulator. */
export function describeAdapterContract<O extends Oem>(
  oem: O,
  options: {
    wrongCredential: (good: CredentialFor<O>) => CredentialFor<O>;
    /** Sigenergy renews its token; the others reject an expired key. */
    expiryIsRecoverable: boolean;
    extra?: (context: () => ContractContext<O>) => void;
  },
): void {
  describe(`${oem} adapter against the simulator`, () => {
    let context: ContractContext<O>;

    beforeAll(async () => {
      const sim = await startSimulator({ port: 0, seed: 7, modeChangeDelayMs: MODE_CHANGE_DELAY_MS });
      const device = sim.createDevice({ oem, socPct: 50, capacityKwh: 10, ratedPowerKw: 5, dischargeFloorPct: 10 });
      const makeAdapter = (overrides: Partial<OemAdapterConfig> = {}) =>
        createOemAdapter(oem, fastConfig(sim.baseUrls[oem], overrides)) as OemAdapter<O>;
      context = { sim, device, credential: device.credential as CredentialFor<O>, adapter: makeAdapter(), makeAdapter };
    });

    afterAll(async () => {
      await context.sim.stop();
    });

    beforeEach(() => {
      context.sim.resetFaults();
      context.sim.restoreCredential(context.device.deviceId);
    });

    it("accepts a valid credential", async () => {
      await expect(context.adapter.verifyCredential(context.credential)).resolves.toBeUndefined();
    });

    it("reports a wrong credential as rejected, without echoing the secret", async () => {
      const wrong = options.wrongCredential(context.credential);
      const error = await context.adapter.verifyCredential(wrong).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemCredentialRejectedError);
      for (const secret of secretsOf(wrong)) expect(String((error as Error).message)).not.toContain(secret);
    });

    it("reads state that matches the simulated battery", async () => {
      const state = await context.adapter.readState(context.credential, context.device.deviceId);
      const truth = context.sim.getDevice(context.device.deviceId);
      expect(truth).not.toBeNull();
      expect(state.socPct).toBeGreaterThanOrEqual(0);
      expect(Math.abs(state.socPct - (truth?.socPct ?? -100))).toBeLessThan(1.5);
      expect(state.operationMode).toBe("SELF_RELIANCE");
      expect(state.dischargeFloorPct).toBe(10);
      // Energy balance: load = solar + grid - battery, within rounding.
      expect(Math.abs(state.loadPowerKw - (state.solarPowerKw + state.gridPowerKw - state.batteryPowerKw))).toBeLessThan(0.05);
      expect(state.observedAt).toBeInstanceOf(Date);
    });

    it("sets a mode that takes effect only after the device's delay, and the battery follows it", async () => {
      const { adapter, credential, device } = context;
      await adapter.setOperationMode(credential, device.deviceId, "IMPORT_FOCUS");
      const immediately = await adapter.readState(credential, device.deviceId);
      expect(immediately.operationMode).toBe("SELF_RELIANCE");
      const charging = await waitForMode(adapter, credential, device.deviceId, "IMPORT_FOCUS");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const later = await adapter.readState(credential, device.deviceId);
      expect(charging.operationMode).toBe("IMPORT_FOCUS");
      expect(later.batteryPowerKw).toBeGreaterThan(0);

      await adapter.setOperationMode(credential, device.deviceId, "EXPORT_FOCUS");
      await waitForMode(adapter, credential, device.deviceId, "EXPORT_FOCUS");
      const discharging = await adapter.readState(credential, device.deviceId);
      expect(discharging.batteryPowerKw).toBeLessThan(0);

      await adapter.setOperationMode(credential, device.deviceId, "TIME_OF_USE");
      await waitForMode(adapter, credential, device.deviceId, "TIME_OF_USE");

      await adapter.setOperationMode(credential, device.deviceId, "SELF_RELIANCE", { dischargeFloorPct: 20 });
      const restored = await waitForMode(adapter, credential, device.deviceId, "SELF_RELIANCE");
      const floorDeadline = Date.now() + 2_000;
      let floor = restored.dischargeFloorPct;
      while (floor !== 20 && Date.now() < floorDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        floor = (await adapter.readState(credential, device.deviceId)).dischargeFloorPct;
      }
      expect(floor).toBe(20);
    });

    it("never applies a command the device ignores", async () => {
      const { adapter, credential, device, sim } = context;
      sim.setFaults({ ignoreCommands: true }, device.deviceId);
      await adapter.setOperationMode(credential, device.deviceId, "EXPORT_FOCUS");
      await new Promise((resolve) => setTimeout(resolve, MODE_CHANGE_DELAY_MS + 200));
      const state = await adapter.readState(credential, device.deviceId);
      expect(state.operationMode).not.toBe("EXPORT_FOCUS");
    });

    it("reports an unknown device as not found", async () => {
      const other = context.sim.createDevice({ oem });
      await expect(context.adapter.readState(context.credential, other.deviceId)).rejects.toBeInstanceOf(OemDeviceNotFoundError);
    });

    it(options.expiryIsRecoverable ? "renews an expired token and carries on" : "reports an expired key as credential rejected (expired)", async () => {
      context.sim.expireCredential(context.device.deviceId);
      const attempt = context.adapter.readState(context.credential, context.device.deviceId);
      if (options.expiryIsRecoverable) {
        await expect(attempt).resolves.toMatchObject({ operationMode: expect.any(String) });
      } else {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OemCredentialRejectedError);
        expect((error as OemCredentialRejectedError).reason).toBe("expired");
      }
    });

    it("retries 5xx answers, then reports the OEM unavailable (not a credential problem)", async () => {
      const { sim, device } = context;
      const adapter = context.makeAdapter({ maxAttempts: 3 });
      await adapter.readState(context.credential, device.deviceId); // warm caches and tokens
      sim.setFaults({ errorRate: 1 }, device.deviceId);
      const before = sim.requestCounts()[oem];
      const error = await adapter.readState(context.credential, device.deviceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OemUnavailableError);
      expect(sim.requestCounts()[oem] - before).toBeGreaterThanOrEqual(3);
    });

    it("recovers when a 5xx is transient", async () => {
      const { sim, device } = context;
      sim.setFaults({ errorRate: 0.3 }, device.deviceId);
      const adapter = context.makeAdapter({ maxAttempts: 8 });
      for (let i = 0; i < 3; i += 1) await expect(adapter.readState(context.credential, device.deviceId)).resolves.toBeDefined();
    });

    it("reports a timeout as unavailable", async () => {
      const { sim, device } = context;
      sim.setFaults({ latencyMs: 300 }, device.deviceId);
      const adapter = context.makeAdapter({ timeoutMs: 100, maxAttempts: 2 });
      await expect(adapter.readState(context.credential, device.deviceId)).rejects.toBeInstanceOf(OemUnavailableError);
    });

    it("reports persistent rate limiting as OemRateLimitedError", async () => {
      const { sim, device } = context;
      sim.setFaults({ rateLimit: { requestsPerSecond: 0.2, burst: 1 } }, device.deviceId);
      const adapter = context.makeAdapter({ rateLimit: null, maxAttempts: 2 });
      const results = await Promise.allSettled([1, 2, 3].map(() => adapter.readState(context.credential, device.deviceId)));
      const rejected = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      expect(rejected.length).toBeGreaterThan(0);
      for (const reason of rejected) expect(reason).toBeInstanceOf(OemRateLimitedError);
      // Sibling calls of a failed read may still be retrying; let them finish before the next test.
      await new Promise((resolve) => setTimeout(resolve, 200));
    });

    it("stays under the cloud's limit with the client-side limiter on", async () => {
      const { sim, device } = context;
      sim.setFaults({ rateLimit: { requestsPerSecond: 20, burst: 2 } }, device.deviceId);
      const adapter = context.makeAdapter({ rateLimit: { requestsPerSecond: 10, burst: 1 }, maxAttempts: 1 });
      await expect(adapter.readState(context.credential, device.deviceId)).resolves.toBeDefined();
      await expect(adapter.readState(context.credential, device.deviceId)).resolves.toBeDefined();
    });

    options.extra?.(() => context);
  });
}
