import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { randomMpan } from "@/server/services/batteries/test-support";
import { getMeterByAddress, getMeterByMpan, getMeterByRef, loadMeterRegistry, previewMeterRegistry, searchMeters } from "./meter-registry";

const HEADER = "mpan,address,postcode,half_hourly_settled,supplier_mpid,supplier_name,eligible_markets";
const NOW = new Date("2026-03-01T12:00:00Z");

describe("meter registry", () => {
  it("previews a file with every problem by line, loads nothing when any row is wrong, and loads all rows otherwise", async () => {
    const org = await createTestOrg("meter-registry");
    const [a, b] = [randomMpan(), randomMpan()];
    const bad = [HEADER, `${a},"1 High Street, Leeds, LS1 1AA",LS1 1AA,true,SUPP,Supplier,wholesale`, `12345,"2 High Street, Leeds, LS1 1AA",LS1 1AA,maybe,,,moon`].join("\n");
    const preview = await previewMeterRegistry(org.admin, { csv: bad });
    expect(preview.errors).toEqual([
      { line: 3, column: "mpan", message: "MPAN must be exactly 13 digits, got 5" },
      { line: 3, column: "half_hourly_settled", message: "Write true or false." },
      { line: 3, column: "eligible_markets", message: "Unknown market moon: use cm, dno, wholesale." },
    ]);
    await expect(loadMeterRegistry(org.admin, { csv: bad })).rejects.toThrow(/3 problems; nothing was loaded/);
    await expect(getMeterByMpan(org.admin, { mpan: a })).rejects.toThrow(/not found/);

    const good = [HEADER, `${a},"1 High Street, Leeds, LS1 1AA",ls11aa,true,SUPP,Supplier,wholesale;cm`, `${b},"Flat 4, 2 High Street, Leeds, LS1 1AA",LS1 1AA,no,,,`].join("\n");
    expect(await previewMeterRegistry(org.admin, { csv: good })).toMatchObject({ rowCount: 2, newCount: 2, updateCount: 0, errors: [] });
    expect(await loadMeterRegistry(org.admin, { csv: good })).toEqual({ loaded: 2, created: 2, updated: 0 });
    expect(await loadMeterRegistry(org.admin, { csv: good })).toEqual({ loaded: 2, created: 0, updated: 2 });
    expect(await getMeterByMpan(org.admin, { mpan: a })).toMatchObject({ mpan: a, postcode: "LS1 1AA", halfHourlySettled: true, supplierMpid: "SUPP", eligibleMarkets: ["wholesale", "cm"] });
  });

  it("finds a meter by address, searches a postcode with references only its organisation can use, and refuses a viewer's load", async () => {
    const org = await createTestOrg("meter-lookup");
    const other = await createTestOrg("meter-lookup-other");
    const [a, b, c] = [randomMpan(), randomMpan(), randomMpan()];
    await loadMeterRegistry(org.admin, {
      csv: [HEADER, `${a},"221B Baker Street, London, NW1 6XE",NW1 6XE,true,,,wholesale`, `${b},"Flat 4, 10A Baker Street, London, NW1 6XE",NW1 6XE,false,,,`, `${c},"10A Baker Street, London, NW1 6XE",NW1 6XE,false,,,`].join("\n"),
    });
    expect((await getMeterByAddress(org.admin, { address: "221b baker street, LONDON, nw16xe" })).mpan).toBe(a);
    expect((await getMeterByAddress(org.admin, { address: "221B Baker St, London, NW1 6XE" })).mpan).toBe(a);
    await expect(getMeterByAddress(org.admin, { address: "7 Nowhere Lane, London, NW1 6XE" })).rejects.toThrow(/not found/);
    await expect(getMeterByAddress(org.admin, { address: "Baker Street, London" })).rejects.toThrow(/end with its postcode/);

    const all = await searchMeters(org.admin, { postcode: "nw1 6xe" }, NOW);
    expect(all.map((result) => result.address)).toEqual(["10A Baker Street, London, NW1 6XE", "221B Baker Street, London, NW1 6XE", "Flat 4, 10A Baker Street, London, NW1 6XE"]);
    expect(all.every((result) => !result.ref.includes(a) && !Buffer.from(result.ref.split(".")[0] ?? "", "base64url").toString().includes(a))).toBe(true);
    const flat = await searchMeters(org.admin, { postcode: "NW1 6XE", buildingIdentifier: "Flat 4" }, NOW);
    expect(flat).toHaveLength(1);
    expect((await getMeterByRef(org.admin, { ref: flat[0]?.ref ?? "" }, NOW)).mpan).toBe(b);
    await expect(getMeterByRef(other.admin, { ref: flat[0]?.ref ?? "" }, NOW)).rejects.toThrow(/not found/);
    await expect(getMeterByRef(org.admin, { ref: flat[0]?.ref ?? "" }, new Date(NOW.getTime() + 25 * 3600_000))).rejects.toThrow(/expired/);
    await expect(getMeterByRef(org.admin, { ref: `${flat[0]?.ref ?? ""}x` }, NOW)).rejects.toThrow(/not a meter reference/);
    expect(await searchMeters(other.admin, { postcode: "NW1 6XE" }, NOW)).toEqual([]);

    const viewer = await org.addOperator("viewer");
    await expect(loadMeterRegistry(viewer.ctx, { csv: [HEADER, `${randomMpan()},"1 A Road, London, NW1 6XE",NW1 6XE,true,,,`].join("\n") })).rejects.toThrow(/Viewers cannot/);
  });
});
