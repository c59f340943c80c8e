import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { exportSitesCsv } from "../csv-export";
import { listSites } from "../sites";
import { commitSitesImport, previewSitesImport } from "./import-sites";

const header = "mpan,postcode,street_address,asset_external_id,asset_type,power_kw,capacity_kwh";
const good = [header, "1200023305967,SW1A 1AA,1 Road,bat-1,battery,5,10", "1200023305967,SW1A 1AA,,chg-1,charger,7.4,", "1000000000012,EC1A 1BB,2 Road,,,,"].join("\n");

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

describe("CSV import of sites", () => {
  it("previews without writing, then imports every site and asset in one go", async () => {
    const org = await createTestOrg("csv-import");
    const preview = await previewSitesImport(org.admin, { csv: good });
    expect(preview).toMatchObject({ rowCount: 3, siteCount: 2, sitesToCreate: 2, sitesToUpdate: 0, assetsToCreate: 2, errorCount: 0 });
    expect((await listSites(org.admin, {})).total).toBe(0);

    const progress: number[] = [];
    const result = await commitSitesImport(org.admin, { csv: good }, { onProgress: (p) => progress.push(p.done) });
    expect(result).toEqual({ sitesCreated: 2, sitesUpdated: 0, assetsCreated: 2, assetsUpdated: 0 });
    expect(progress).toEqual([1, 2]);
    const listed = await listSites(org.admin, {});
    expect(listed.total).toBe(2);

    // Importing the same file again updates rather than duplicates.
    const again = await previewSitesImport(org.admin, { csv: good });
    expect(again).toMatchObject({ sitesToCreate: 0, sitesToUpdate: 2, assetsToUpdate: 2 });
    await commitSitesImport(org.admin, { csv: good });
    expect((await listSites(org.admin, {})).total).toBe(2);
  });

  it("refuses a file with one bad row and stores nothing from it", async () => {
    const org = await createTestOrg("csv-bad");
    const csv = `${good}\n123,SW1A 1AA,3 Road,,,,`;
    const preview = await previewSitesImport(org.admin, { csv });
    expect(preview.errors).toEqual([{ line: 5, column: "mpan", message: "MPAN must be exactly 13 digits, got 3" }]);
    await expect(commitSitesImport(org.admin, { csv })).rejects.toMatchObject({ code: "VALIDATION" });
    expect((await listSites(org.admin, {})).total).toBe(0);
  });

  it("rolls back everything when cancelled part-way", async () => {
    const org = await createTestOrg("csv-cancel");
    const controller = new AbortController();
    await expect(
      commitSitesImport(org.admin, { csv: good }, { signal: controller.signal, onProgress: (p) => p.done === 1 && controller.abort() }),
    ).rejects.toMatchObject({ code: "PRECONDITION" });
    expect((await listSites(org.admin, {})).total).toBe(0);
  });

  it("flags an asset id already stored at another site", async () => {
    const org = await createTestOrg("csv-moved");
    await commitSitesImport(org.admin, { csv: good });
    const preview = await previewSitesImport(org.admin, { csv: [header, "2000000000024,EC1A 1BB,,bat-1,battery,5,10"].join("\n") });
    expect(preview.errors).toEqual([{ line: 2, column: "asset_external_id", message: 'Asset "bat-1" is already registered at the site with MPAN 1200023305967.' }]);
  });

  it("is refused to viewers and invisible to other organisations", async () => {
    const org = await createTestOrg("csv-roles");
    const viewer = await org.addOperator("viewer");
    await expect(previewSitesImport(viewer.ctx, { csv: good })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(commitSitesImport(viewer.ctx, { csv: good })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await commitSitesImport(org.admin, { csv: good });
    const other = await createTestOrg("csv-other");
    expect((await listSites(other.admin, {})).total).toBe(0);
    expect(await collect(exportSitesCsv(other.admin, {}))).toBe(`${"mpan,postcode,street_address,email,is_half_hourly_settled,gave_boundary_meter_consent_at,status,eligible_propositions,asset_external_ids,asset_types,created_at"}\n`);
  });
});

describe("CSV export of sites", () => {
  it("exports the filtered list with the import's columns", async () => {
    const org = await createTestOrg("csv-export");
    await commitSitesImport(org.admin, { csv: good });
    const all = (await collect(exportSitesCsv(org.admin, {}))).trim().split("\n");
    expect(all).toHaveLength(3);
    const batteries = (await collect(exportSitesCsv(org.admin, { assetType: "battery" }))).trim().split("\n");
    expect(batteries).toHaveLength(2);
    expect(batteries[1]).toMatch(/^1200023305967,SW1A 1AA,1 Road,,,,active,[^,]*,(bat-1;chg-1,battery;charger|chg-1;bat-1,charger;battery),/);
    const searched = (await collect(exportSitesCsv(org.admin, { search: "ec1a" }))).trim().split("\n");
    expect(searched.slice(1).map((l) => l.split(",")[0])).toEqual(["1000000000012"]);
  });
});
