import { beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { listAuditEvents } from "../audit/list-audit-events";
import { getPriceSlots, listMarkets, listPriceCurves, priceCurveWindow, storePriceCurve, uploadPriceCsv } from "./market-prices";
import { DEFAULT_MARKET, operatorMarket } from "./default-market";
import { describePriceCsvProblems, parsePriceCsv } from "./price-csv";

describe("parsePriceCsv", () => {
  it("reads a header and one row per half hour, sorted, with offsets and alternative column names", () => {
    const result = parsePriceCsv("start_timestamp,price\n2026-03-01T00:30:00Z,40.5\n2026-03-01T02:00:00+01:00,-3\n\n2026-03-01T00:00:00Z,55\n");
    expect(result.ok).toBe(true);
    expect(result.points.map((p) => [p.slotStart.toISOString(), p.priceGbpPerMwh])).toEqual([
      ["2026-03-01T00:00:00.000Z", 55],
      ["2026-03-01T00:30:00.000Z", 40.5],
      ["2026-03-01T01:00:00.000Z", -3],
    ]);
  });

  it("reports every problem with its line number and column", () => {
    const csv = [
      "start,price_gbp_per_mwh",
      "2026-03-01T00:00:00Z,50",
      "2026-03-01T00:15:00Z,50",
      "2026-03-01T01:00:00,50",
      "yesterday,50",
      "2026-03-01T02:00:00Z,£50",
      "2026-03-01T02:30:00Z,",
      "2026-03-01T00:00:00Z,60",
      "2026-03-01T03:00:00Z,1e9",
    ].join("\n");
    const result = parsePriceCsv(csv);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { line: 3, column: "start", message: expect.stringMatching(/not on a half-hour boundary/) },
      { line: 4, column: "start", message: expect.stringMatching(/has no time zone/) },
      { line: 5, column: "start", message: expect.stringMatching(/not an ISO 8601 instant/) },
      { line: 6, column: "price_gbp_per_mwh", message: expect.stringMatching(/not a number/) },
      { line: 7, column: "price_gbp_per_mwh", message: "price_gbp_per_mwh is missing" },
      { line: 8, column: "start", message: expect.stringMatching(/already priced on line 2/) },
      { line: 9, column: "price_gbp_per_mwh", message: expect.stringMatching(/beyond/) },
    ]);
    expect(describePriceCsvProblems(result)[0]).toMatch(/^line 3: /);
  });

  it("explains a missing header column, an empty file and broken CSV", () => {
    expect(parsePriceCsv("when,cost\n2026-03-01T00:00:00Z,1").problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/needs the columns start and price_gbp_per_mwh; found when, cost/) });
    expect(parsePriceCsv("").problems[0]?.message).toMatch(/empty/);
    expect(parsePriceCsv("start,price\n").problems[0]?.message).toMatch(/no price rows/);
    expect(parsePriceCsv('start,price\n"2026-03-01T00:00:00Z,1\n').problems[0]?.message).toMatch(/not valid CSV/);
  });
});

describe("market price curves", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg("market-prices");
  });

  it("stores an uploaded CSV as a curve and its prices, audited", async () => {
    const stored = await uploadPriceCsv(org.admin, { csv: "start,price_gbp_per_mwh\n2026-04-01T00:00:00Z,50\n2026-04-01T00:30:00Z,60\n2026-04-01T01:00:00Z,70\n" });
    expect(stored.curve).toMatchObject({ market: "WHOLESALE", source: "dashboard_csv", pointCount: 3, uploadedBy: org.adminEmail, firstSlotAt: new Date("2026-04-01T00:00:00Z"), lastSlotAt: new Date("2026-04-01T01:00:00Z") });
    // The planner is another area's; a failure there is logged, not raised.
    expect(stored.replannedSessions === null || typeof stored.replannedSessions === "number").toBe(true);
    const slots = await getPriceSlots(org.admin, { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-04-01T02:00:00Z") });
    expect(slots.map((s) => s.priceGbpPerMwh)).toEqual([50, 60, 70]);
    const audit = await listAuditEvents(org.admin, { action: "market_prices.curve_stored", limit: 10, offset: 0 });
    expect(JSON.stringify(audit)).toContain("market_prices.curve_stored");
  });

  it("lets a newer curve overwrite only the half hours it covers, and records both curves", async () => {
    await storePriceCurve(org.admin, { market: "dfs", points: [0, 1, 2, 3].map((i) => ({ start: new Date(Date.UTC(2026, 4, 1) + i * 1_800_000).toISOString(), priceGbpPerMwh: 10 })) });
    const newer = await storePriceCurve(org.admin, { market: "DFS", points: [2, 3, 4].map((i) => ({ start: new Date(Date.UTC(2026, 4, 1) + i * 1_800_000).toISOString(), priceGbpPerMwh: 99 })) });
    const slots = await getPriceSlots(org.admin, { market: "DFS", from: new Date(Date.UTC(2026, 4, 1)), to: new Date(Date.UTC(2026, 4, 2)) });
    expect(slots.map((s) => s.priceGbpPerMwh)).toEqual([10, 10, 99, 99, 99]);
    expect(slots[4]?.curveId).toBe(newer.curve.id);
    const curves = await listPriceCurves(org.admin, { market: "dfs" });
    expect(curves.map((c) => c.pointCount)).toEqual([3, 4]);
    expect(curves[0]?.source).toBe("trpc");
    expect(await listMarkets(org.admin)).toEqual(["DFS", "WHOLESALE"]);
  });

  it("refuses a bad CSV whole, naming the lines, and stores nothing", async () => {
    const before = await listPriceCurves(org.admin);
    await expect(uploadPriceCsv(org.admin, { csv: "start,price_gbp_per_mwh\n2026-06-01T00:00:00Z,50\n2026-06-01T00:10:00Z,50\n" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/line 3: .*half-hour boundary/),
      issues: [expect.objectContaining({ message: expect.stringMatching(/^line 3: /) })],
    });
    expect(await listPriceCurves(org.admin)).toHaveLength(before.length);
    expect(await getPriceSlots(org.admin, { from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-06-02T00:00:00Z") })).toEqual([]);
  });

  it("refuses bad posted curves with the field named", async () => {
    await expect(storePriceCurve(org.admin, { points: [{ start: "2026-06-01T00:05:00Z", priceGbpPerMwh: 1 }] })).rejects.toMatchObject({ code: "VALIDATION", issues: [expect.objectContaining({ path: ["points", 0, "start"] })] });
    await expect(storePriceCurve(org.admin, { points: [] })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(storePriceCurve(org.admin, { market: "bad market!", points: [{ start: "2026-06-01T00:00:00Z", priceGbpPerMwh: 1 }] })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["market"] })] });
  });

  it("refuses viewers and shows another organisation nothing", async () => {
    const viewer = await org.addOperator("viewer");
    await expect(uploadPriceCsv(viewer.ctx, { csv: "start,price\n2026-04-01T00:00:00Z,1\n" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await createTestOrg("market-prices-other");
    expect(await listPriceCurves(other.admin)).toEqual([]);
    expect(await listMarkets(other.admin)).toEqual([]);
    expect(await getPriceSlots(other.admin, { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-04-02T00:00:00Z") })).toEqual([]);
  });
});

describe("priceCurveWindow", () => {
  it("runs from the current half hour to 23:00 UK time today before 14:00, and to tomorrow's 23:00 after", () => {
    expect(priceCurveWindow(new Date("2026-01-15T09:47:00Z"))).toEqual({ from: new Date("2026-01-15T09:30:00Z"), to: new Date("2026-01-15T23:00:00Z") });
    expect(priceCurveWindow(new Date("2026-01-15T14:00:00Z"))).toEqual({ from: new Date("2026-01-15T14:00:00Z"), to: new Date("2026-01-16T23:00:00Z") });
    // Summer: 23:00 BST is 22:00 UTC; 13:30 UTC is 14:30 BST.
    expect(priceCurveWindow(new Date("2026-07-01T13:30:00Z"))).toEqual({ from: new Date("2026-07-01T13:30:00Z"), to: new Date("2026-07-02T22:00:00Z") });
  });
});

describe("operatorMarket", () => {
  it("is the default market when the organisation has it, else its newest market, else none", async () => {
    const org = await createTestOrg("operator-market");
    const point = (price: number) => [{ start: "2026-05-02T00:00:00Z", priceGbpPerMwh: price }];
    expect(await operatorMarket(org.admin.db, org.orgId)).toBeNull();
    await storePriceCurve(org.admin, { market: "N2EX", points: point(40) });
    expect(await operatorMarket(org.admin.db, org.orgId)).toBe("N2EX");
    await storePriceCurve(org.admin, { market: DEFAULT_MARKET, points: point(50) });
    await storePriceCurve(org.admin, { market: "EPEX", points: point(60) });
    expect(await operatorMarket(org.admin.db, org.orgId)).toBe(DEFAULT_MARKET);
  });
});
