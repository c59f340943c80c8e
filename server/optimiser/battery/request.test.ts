import { describe, expect, it } from "vitest";
import { runPlanBatteryRequest } from "./request";

const validRequest = {
  battery: { capacityKwh: 5, maxChargeKw: 2.5, maxDischargeKw: 2.5, roundTripEfficiency: 0.9, socMinPct: 10, socMaxPct: 100, dischargeFloorPct: 20, startSocPct: 50 },
  slots: [
    { start: "2026-01-12T00:00:00Z", end: "2026-01-12T00:30:00Z", importPencePerKwh: 8, exportPencePerKwh: 5, loadKwh: 0.3 },
    { start: "2026-01-12T00:30:00Z", end: "2026-01-12T01:00:00Z", importPencePerKwh: 35, exportPencePerKwh: 15, loadKwh: 0.6, solarKwh: 0 },
  ],
};

describe("runPlanBatteryRequest", () => {
  it("answers a valid request with a plan", async () => {
    const response = await runPlanBatteryRequest(validRequest);
    if (!response.ok) throw new Error(JSON.stringify(response.error));
    expect(response.plan.slots).toHaveLength(2);
    expect(Number.isInteger(response.plan.totalCostPence)).toBe(true);
  });

  it("answers a malformed request with validation issues that name the field", async () => {
    const response = await runPlanBatteryRequest({ ...validRequest, battery: { ...validRequest.battery, roundTripEfficiency: 1.2, socMinPct: -1 } });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe("validation");
    const paths = "issues" in response.error ? response.error.issues.map((issue) => issue.path.join(".")) : [];
    expect(paths).toContain("battery.roundTripEfficiency");
    expect(paths).toContain("battery.socMinPct");
  });

  it("rejects unknown fields and slots that do not follow on", async () => {
    const gap = await runPlanBatteryRequest({ ...validRequest, slots: [validRequest.slots[0], { ...validRequest.slots[1], start: "2026-01-12T00:45:00Z" }] });
    expect(gap.ok).toBe(false);
    const unknown = await runPlanBatteryRequest({ ...validRequest, colour: "red" });
    expect(unknown.ok).toBe(false);
    expect(await runPlanBatteryRequest("not json object")).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("answers an impossible end-of-day target as infeasible", async () => {
    const response = await runPlanBatteryRequest({ ...validRequest, battery: { ...validRequest.battery, startSocPct: 10, maxChargeKw: 0.5, endSocMinPct: 100 } });
    expect(response).toMatchObject({ ok: false, error: { code: "infeasible" } });
  });
});
