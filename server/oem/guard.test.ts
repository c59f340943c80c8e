import { describe, expect, it } from "vitest";
import { OemUnavailableError } from "./errors";
import { guardOemGateway } from "./guard";
import type { OemGateway } from "./index";
import type { BatteryState, OemCredential } from "./types";

const credential: OemCredential = { oem: "givenergy", apiKey: "k" };
const state: BatteryState = { socPct: 50, batteryPowerKw: 0, gridPowerKw: 0, solarPowerKw: 0, loadPowerKw: 0, operationMode: null, oemMode: "eco", dischargeFloorPct: 4, observedAt: new Date(0) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cloud whose reads take `delayMs` (or fail without an answer) and that counts what is in flight. */
function cloud(behaviour: (deviceId: string) => { delayMs: number; silent?: boolean }) {
  const seen = { inFlight: 0, maxInFlight: 0, maxPerDevice: new Map<string, number>(), calls: 0 };
  const perDevice = new Map<string, number>();
  const readState = async (_: OemCredential, deviceId: string) => {
    seen.calls += 1;
    seen.inFlight += 1;
    perDevice.set(deviceId, (perDevice.get(deviceId) ?? 0) + 1);
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    seen.maxPerDevice.set(deviceId, Math.max(seen.maxPerDevice.get(deviceId) ?? 0, perDevice.get(deviceId) ?? 0));
    try {
      const { delayMs, silent } = behaviour(deviceId);
      await sleep(delayMs);
      if (silent) throw new OemUnavailableError("givenergy", "no answer within 50 ms");
      return state;
    } finally {
      seen.inFlight -= 1;
      perDevice.set(deviceId, (perDevice.get(deviceId) ?? 1) - 1);
    }
  };
  const gateway = { readState } as unknown as OemGateway;
  return { gateway, seen };
}

describe("OEM guard", () => {
  it("keeps at most the configured number of requests in flight per cloud, and one per device", async () => {
    const { gateway, seen } = cloud(() => ({ delayMs: 20 }));
    const guarded = guardOemGateway(gateway, { concurrency: 3, waitTimeoutMs: 5000, deviceCooldownMs: 1000 });
    await Promise.all([...Array.from({ length: 12 }, (_, i) => guarded.readState(credential, `d${i}`)), ...Array.from({ length: 4 }, () => guarded.readState(credential, "same"))]);
    expect(seen.calls).toBe(16);
    expect(seen.maxInFlight).toBe(3);
    expect(seen.maxPerDevice.get("same")).toBe(1);
  });

  it("fails a call at once while its device cools down after not answering, then asks it again", async () => {
    let now = 0;
    const { gateway, seen } = cloud((id) => ({ delayMs: 1, silent: id === "silent" }));
    const guarded = guardOemGateway(gateway, { concurrency: 4, waitTimeoutMs: 1000, deviceCooldownMs: 30_000 }, () => now);
    await expect(guarded.readState(credential, "silent")).rejects.toBeInstanceOf(OemUnavailableError);
    await expect(guarded.readState(credential, "silent")).rejects.toThrow(/did not answer recently/);
    expect(seen.calls).toBe(1);
    // Other devices are unaffected.
    await expect(guarded.readState(credential, "healthy")).resolves.toEqual(state);
    now = 30_001;
    await expect(guarded.readState(credential, "silent")).rejects.toBeInstanceOf(OemUnavailableError);
    expect(seen.calls).toBe(3);
  });

  it("gives up on a slot that stays busy instead of waiting behind a slow cloud forever", async () => {
    const { gateway } = cloud((id) => ({ delayMs: id.startsWith("slow") ? 300 : 1 }));
    const guarded = guardOemGateway(gateway, { concurrency: 2, waitTimeoutMs: 50, deviceCooldownMs: 1000 });
    const slow = [guarded.readState(credential, "slow-1"), guarded.readState(credential, "slow-2")];
    await expect(guarded.readState(credential, "quick")).rejects.toThrow(/stayed busy/);
    await Promise.all(slow);
    // A busy slot is not the device's fault: no cooldown.
    await expect(guarded.readState(credential, "quick")).resolves.toEqual(state);
  });
});
