import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { createAsset } from "../inventory/assets";
import { createSite, deleteSite } from "../inventory/sites";
import { listAuditEvents } from "./list-audit-events";

function mpanWithCheckDigit(first12: string): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

describe("the audit log's targets", () => {
  it("names each entry's site or asset and gives an asset's site, so the page can link instead of showing ids", async () => {
    const org = await createTestOrg("audit-targets");
    const mpan = mpanWithCheckDigit("170000004242");
    const site = await createSite(org.admin, { mpan, postcode: "LS1 4AP", streetAddress: "4 Test Row, Leeds" });
    await createAsset(org.admin, { siteId: site.id, externalId: "audit-target-battery", type: "battery", properties: { power_kw: 3, capacity_kwh: 5 } });

    const { items } = await listAuditEvents(org.admin, { limit: 20, offset: 0 });
    expect(items.find((e) => e.action === "site.created")?.target).toEqual({ label: `MPAN ${mpan}`, siteId: site.id });
    expect(items.find((e) => e.action === "asset.created")?.target).toEqual({ label: "audit-target-battery", siteId: site.id });
  });

  it("resolves nothing of another organisation and leaves a deleted target unnamed", async () => {
    const a = await createTestOrg("audit-targets-a");
    const b = await createTestOrg("audit-targets-b");
    const siteOfB = await createSite(b.admin, { mpan: mpanWithCheckDigit("170000004343"), postcode: "M1 1AE" });
    const gone = await createSite(a.admin, { mpan: mpanWithCheckDigit("170000004444"), postcode: "M1 1AE" });
    await deleteSite(a.admin, { siteId: gone.id });

    const { items } = await listAuditEvents(a.admin, { limit: 20, offset: 0 });
    expect(items.filter((e) => e.targetId === gone.id).map((e) => e.target)).toEqual([null, null]);
    expect(JSON.stringify(items)).not.toContain(siteOfB.id);
  });
});
