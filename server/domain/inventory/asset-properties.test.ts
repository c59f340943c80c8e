import { describe, expect, it } from "vitest";
import { ASSET_TYPES, validateAssetProperties } from "./asset-properties";

describe("validateAssetProperties", () => {
  it("accepts the common power and capacity on every asset type", () => {
    for (const type of ASSET_TYPES) {
      expect(validateAssetProperties(type, { power_kw: 5, capacity_kwh: 10 })).toMatchObject({ ok: true });
    }
  });

  it("treats missing properties as none", () => {
    expect(validateAssetProperties("charger", undefined)).toEqual({ ok: true, properties: {}, ignoredKeys: [] });
  });

  it("rejects negative power with the offending path", () => {
    const result = validateAssetProperties("battery", { power_kw: -1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toEqual(["power_kw"]);
  });

  it("validates hot water tank capacity in litres and each heating element", () => {
    expect(
      validateAssetProperties("hot_water_tank", { capacity_litres: 500, heating_elements_kw: [1.75, 1.25] }),
    ).toMatchObject({ ok: true, properties: { capacity_litres: 500, heating_elements_kw: [1.75, 1.25] } });
    const bad = validateAssetProperties("hot_water_tank", { heating_elements_kw: [1.75, 0] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.path).toEqual(["heating_elements_kw", 1]);
  });

  it("only allows 1 or 3 phases on a charger", () => {
    expect(validateAssetProperties("charger", { phases: 3 }).ok).toBe(true);
    expect(validateAssetProperties("charger", { phases: 2 }).ok).toBe(false);
  });

  it("drops keys another asset type owns and reports them", () => {
    expect(validateAssetProperties("battery", { power_kw: 5, capacity_litres: 200 })).toEqual({
      ok: true,
      properties: { power_kw: 5 },
      ignoredKeys: ["capacity_litres"],
    });
  });

  it("rejects a non-object", () => {
    expect(validateAssetProperties("battery", "big").ok).toBe(false);
  });
});
