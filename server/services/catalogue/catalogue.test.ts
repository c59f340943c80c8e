import { describe, expect, it } from "vitest";
import { mpanCheckDigit } from "@/server/domain/inventory";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { getSiteEligibility } from "../inventory/eligibility";
import { initialiseSite } from "../inventory/initialise";
import { importAssetModelsCsv, listAssetModels, listUnknownAssetModels, saveAssetModel } from "./asset-models";
import { listPropositionSettings, updatePropositionSetting } from "./proposition-settings";

function validMpan(): string {
  const first12 = `1${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  return `${first12}${mpanCheckDigit(first12)}`;
}

/** A charger at a site without boundary-meter consent: only its CoP11 metering can qualify it. */
async function chargerWithModel(org: TestOrg, model: string, externalId: string) {
  const result = await initialiseSite(org.admin, {
    site: { mpan: validMpan(), postcode: "SW1A 1AA" },
    assets: [{ externalId, type: "charger", properties: { power_kw: 7 }, assetModel: model, installationDate: "2025-06-15" }],
  });
  return result;
}

describe("asset-model catalogue", () => {
  it("ships the common UK models, including the published example names", async () => {
    const org = await createTestOrg("catalogue-shipped");
    const models = await listAssetModels(org.admin);
    expect(models.find((model) => model.name === "zappi")).toMatchObject({ cop11Qualified: true, assetType: "charger", source: "shipped" });
    expect(models.find((model) => model.name === "axle_charger_v1")).toMatchObject({ cop11Qualified: true, source: "shipped" });
    expect(models.find((model) => model.name === "givenergy_all_in_one")).toMatchObject({ oem: "givenergy", assetType: "battery" });
  });

  it("warns about an unknown model, lists it for the operator, and adding it makes the charger eligible", async () => {
    const org = await createTestOrg("catalogue-unknown");
    const result = await chargerWithModel(org, "Acme Wallbox 9", "acme-1");
    expect(result.assets[0]?.warnings).toEqual(["asset_model_not_found"]);
    expect(result.eligibility.propositions.limited_pause.issues).toContain("asset_model_not_found");
    expect(await listUnknownAssetModels(org.admin)).toEqual([{ name: "Acme Wallbox 9", assetCount: 1, siteCount: 1 }]);

    await saveAssetModel(org.admin, { name: "acme wallbox 9", oem: "Acme", assetType: "charger", cop11Qualified: true, ratedPowerKw: 7.4 });
    expect(await listUnknownAssetModels(org.admin)).toEqual([]);
    const eligibility = await getSiteEligibility(org.admin, { siteId: result.site.siteId });
    expect(eligibility.eligiblePropositions).toEqual(["limited_pause", "full_asset_schedule_control"]);
  });

  it("keeps an organisation's correction of a shipped model to itself", async () => {
    const org = await createTestOrg("catalogue-override");
    const other = await createTestOrg("catalogue-override-other");
    const mine = await chargerWithModel(org, "zappi", "zappi-mine");
    expect(mine.eligibility.propositions.limited_pause.eligible).toBe(true);
    await saveAssetModel(org.admin, { name: "ZAPPI", oem: "myenergi", assetType: "charger", cop11Qualified: false });
    expect((await getSiteEligibility(org.admin, { siteId: mine.site.siteId })).propositions.limited_pause.issues).toContain("asset_model_not_cop11_qualified");
    expect((await listAssetModels(org.admin)).filter((model) => model.name.toLowerCase() === "zappi")).toEqual([expect.objectContaining({ source: "organisation", cop11Qualified: false })]);
    expect((await listAssetModels(other.admin)).find((model) => model.name === "zappi")).toMatchObject({ source: "shipped", cop11Qualified: true });
    const theirs = await chargerWithModel(other, "zappi", "zappi-theirs");
    expect(theirs.eligibility.propositions.limited_pause.eligible).toBe(true);
  });

  it("imports a CSV all or nothing, naming each problem by line", async () => {
    const org = await createTestOrg("catalogue-import");
    const bad = await importAssetModelsCsv(org.admin, "name,asset_type,cop11_qualified,rated_power_kw\nok_model,charger,yes,7\n,charger,no,7\nthird,toaster,maybe,-1\nok_model,battery,no,5\n");
    expect(bad).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { line: 3, column: "name", message: "Enter the model name partners send" },
        { line: 4, column: "cop11_qualified", message: 'Expected yes or no, got "maybe"' },
        { line: 4, column: "asset_type", message: expect.stringContaining("Use one of") },
        { line: 4, column: "rated_power_kw", message: "Expected a number of kW above 0" },
        { line: 5, column: "name", message: "The same model as line 2" },
      ]),
    });
    expect((await listAssetModels(org.admin)).some((model) => model.name === "ok_model")).toBe(false);
    const good = await importAssetModelsCsv(org.admin, "name,oem,asset_type,cop11_qualified,smart_charge_regulation_compliant,rated_power_kw\nok_model,Acme,charger,yes,yes,7\nzappi,myenergi,charger,no,yes,7\n");
    expect(good).toEqual({ ok: true, added: 2, changed: 0, sitesReevaluated: 0 });
    expect((await listAssetModels(org.admin)).find((model) => model.name === "ok_model")).toMatchObject({ oem: "acme", cop11Qualified: true, ratedPowerKw: 7 });
  });

  it("refuses viewers and a bad rated power with the field named", async () => {
    const org = await createTestOrg("catalogue-refusals");
    const viewer = await org.addOperator("viewer");
    await expect(saveAssetModel(viewer.ctx, { name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(saveAssetModel(org.admin, { name: "x", ratedPowerKw: -1 })).rejects.toMatchObject({ code: "VALIDATION", issues: [expect.objectContaining({ path: ["ratedPowerKw"] })] });
  });
});

describe("proposition settings", () => {
  it("do not require half-hourly settlement by default; an admin can require it per proposition", async () => {
    const org = await createTestOrg("proposition-settings");
    expect((await listPropositionSettings(org.admin)).every((setting) => !setting.requiresHalfHourlySettlement)).toBe(true);
    const site = await initialiseSite(org.admin, {
      site: { mpan: validMpan(), postcode: "SW1A 1AA", gaveBoundaryMeterConsentAt: new Date("2026-01-01T00:00:00Z") },
      assets: [{ externalId: "plain-charger", type: "charger", properties: { power_kw: 7 } }],
    });
    expect(site.eligibility.eligiblePropositions).toEqual(["limited_pause", "full_asset_schedule_control"]);
    await updatePropositionSetting(org.admin, { proposition: "limited_pause", requiresHalfHourlySettlement: true });
    const after = await getSiteEligibility(org.admin, { siteId: site.site.siteId });
    expect(after.propositions.limited_pause.issues).toContain("site_not_half_hourly_settled");
    expect(after.propositions.full_asset_schedule_control.eligible).toBe(true);
    const operator = await org.addOperator("operator");
    await expect(updatePropositionSetting(operator.ctx, { proposition: "limited_pause", requiresHalfHourlySettlement: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
