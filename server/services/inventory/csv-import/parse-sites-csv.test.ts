import { describe, expect, it } from "vitest";
import { parseSitesCsv, sitesCsvTemplate } from "./parse-sites-csv";

const header = "mpan,postcode,street_address,email,asset_external_id,asset_type,power_kw,capacity_kwh";

describe("parseSitesCsv", () => {
  it("reads the template with no errors and normalises MPAN and postcode", () => {
    const parsed = parseSitesCsv(sitesCsvTemplate());
    expect(parsed.errors).toEqual([]);
    expect(parsed.sites).toHaveLength(1);
    expect(parsed.sites[0]).toMatchObject({ mpan: "1200023305967", postcode: "SW1A 1AA", isHalfHourlySettled: true, line: 2 });
    expect(parsed.sites[0]?.assets[0]).toMatchObject({ externalId: "bat-001", type: "battery", properties: { power_kw: 5, capacity_kwh: 9.5 }, oem: "givenergy" });
  });

  it("reports each bad row with its line number and column and keeps the good rows", () => {
    const csv = [header, "12 0002 3305 967,sw1a1aa,1 Road,,bat-1,battery,5,10", "123,SW1A 1AA,2 Road,,,,,", "1000000000012,NOT A POSTCODE,3 Road,x@,,,,", "2000000000024,EC1A 1BB,,,ev-1,spaceship,,"].join("\n");
    const parsed = parseSitesCsv(csv);
    expect(parsed.sites.map((s) => s.mpan)).toEqual(["1200023305967"]);
    expect(parsed.errors).toEqual([
      { line: 3, column: "mpan", message: "MPAN must be exactly 13 digits, got 3" },
      { line: 4, column: "postcode", message: 'Not a valid UK postcode: "NOT A POSTCODE"' },
      { line: 4, column: "email", message: 'Not a valid email address: "x@"' },
      { line: 5, column: "asset_type", message: 'Unknown asset type "spaceship"' },
    ]);
  });

  it("groups rows with the same MPAN into one site with several assets", () => {
    const csv = [header, "1200023305967,SW1A 1AA,1 Road,,bat-1,battery,5,10", "1200023305967,SW1A 1AA,,,chg-1,charger,7.4,"].join("\n");
    const parsed = parseSitesCsv(csv);
    expect(parsed.errors).toEqual([]);
    expect(parsed.sites).toHaveLength(1);
    expect(parsed.sites[0]?.assets.map((a) => a.externalId)).toEqual(["bat-1", "chg-1"]);
  });

  it("refuses a repeated MPAN whose details contradict the first row, and duplicate asset ids", () => {
    const csv = [header, "1200023305967,SW1A 1AA,1 Road,,bat-1,battery,5,10", "1200023305967,EC1A 1BB,,,bat-1,battery,5,10"].join("\n");
    const parsed = parseSitesCsv(csv);
    expect(parsed.errors.map((e) => [e.line, e.column])).toEqual([
      [3, "asset_external_id"],
    ]);
    const clash = parseSitesCsv([header, "1200023305967,SW1A 1AA,1 Road,,,,,", "1200023305967,EC1A 1BB,,,,,,"].join("\n"));
    expect(clash.errors).toEqual([{ line: 3, column: "postcode", message: "MPAN 1200023305967 is also on line 2 with a different postcode." }]);
  });

  it("checks asset properties per type and warns about ones that do not apply", () => {
    const csv = ["mpan,postcode,asset_external_id,asset_type,power_kw,phases", "1200023305967,SW1A 1AA,chg-1,charger,-1,3", "1000000000012,SW1A 1AA,bat-1,battery,5,3"].join("\n");
    const parsed = parseSitesCsv(csv);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ line: 2, column: "power_kw" });
    expect(parsed.warnings).toEqual([{ line: 3, column: "phases", message: "phases does not apply to a battery and is ignored." }]);
  });

  it("warns, not fails, on an MPAN whose check digit is wrong", () => {
    const parsed = parseSitesCsv("mpan,postcode\n1200023305960,SW1A 1AA\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.sites[0]?.mpanCheckDigitValid).toBe(false);
    expect(parsed.warnings[0]).toMatchObject({ line: 2, column: "mpan" });
  });

  it("explains a missing header column, an empty file and malformed CSV", () => {
    expect(parseSitesCsv("postcode\nSW1A 1AA\n").errors).toEqual([{ line: 1, column: "mpan", message: 'The header has no "mpan" column.' }]);
    expect(parseSitesCsv("").errors[0]?.message).toMatch(/empty/);
    expect(parseSitesCsv('mpan,postcode\n"1200023305967,SW1A 1AA\n').errors[0]?.message).toMatch(/not valid CSV/);
  });

  it("counts lines through quoted multi-line cells and blank lines", () => {
    const csv = 'mpan,postcode,street_address\n\n1200023305967,SW1A 1AA,"Flat 1\nHigh Street"\n123,SW1A 1AA,x\n';
    const parsed = parseSitesCsv(csv);
    expect(parsed.sites[0]?.streetAddress).toBe("Flat 1\nHigh Street");
    expect(parsed.errors).toEqual([{ line: 5, column: "mpan", message: "MPAN must be exactly 13 digits, got 3" }]);
  });
});
