// The published example MPAN (1234567890123) fails the standard check digit. Decision (see
// docs/partner-api.md, "MPAN"): store it with a warning, as the published schema takes any string,
// but never enrol or validate it, because a wrong check digit is a mistyped or invented meter.
import { beforeAll, describe, expect, it } from "vitest";
import { mpanCheckDigit, normaliseMpan } from "@/server/domain/inventory";
import { createTestOrg } from "@/test/fixtures";
import { call, tokenFor } from "./test-support";

const PUBLISHED_EXAMPLE_MPAN = "1234567890123";
const publishedSite = { mpan: PUBLISHED_EXAMPLE_MPAN, postcode: "SW1A 1AA", street_address: "10 Downing Street", email: "resident@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" };
const publishedCharger = { external_id: "charger-001", type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } };

let token: string;
beforeAll(async () => {
  token = await tokenFor(await createTestOrg("mpan-published-example"), ["entities:write"]);
});

describe("the published example MPAN", () => {
  it("fails the check digit: the weights call for 6, the example ends in 3", () => {
    expect(mpanCheckDigit(PUBLISHED_EXAMPLE_MPAN.slice(0, 12))).toBe(6);
    expect(normaliseMpan(PUBLISHED_EXAMPLE_MPAN)).toMatchObject({ ok: true, checkDigitValid: false });
  });

  it("is refused by POST /validation/mpan with the reason", async () => {
    const answer = await call("POST", "/validation/mpan", { token, body: { mpan: PUBLISHED_EXAMPLE_MPAN } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ detail: ["MPAN check digit does not match"] });
  });

  it("onboarding it answers 422 naming the MPAN's check digit, and stores nothing", async () => {
    const answer = await call("POST", "/entities/site/onboard", { token, body: { site: publishedSite, assets: [publishedCharger], proposition: "limited_pause", override_withdrawal: false } });
    expect(answer.status).toBe(422);
    expect(answer.text).toMatch(/mpan_check_digit_invalid|check digit/);
    const listed = await call("GET", `/entities/site?mpan=${PUBLISHED_EXAMPLE_MPAN}`, { token });
    expect(listed.body).toMatchObject({ total_num_sites: 0 });
  });

  it("initialise stores it with the warning, and the site is ineligible for that reason until corrected", async () => {
    const answer = await call("POST", "/entities/site/initialise", { token, body: { site: publishedSite, assets: [publishedCharger] } });
    expect(answer.status).toBe(200);
    const body = answer.body as { site: { site_id: string; warnings: string[] }; eligibility: { eligible_propositions: string[] } };
    expect(body.site.warnings).toContain("mpan_check_digit_invalid");
    expect(body.eligibility.eligible_propositions).toEqual([]);
    const eligibility = await call("GET", `/entities/site/${body.site.site_id}/eligibility`, { token });
    expect(JSON.stringify(eligibility.body)).toContain("mpan_check_digit_invalid");
  });
});
