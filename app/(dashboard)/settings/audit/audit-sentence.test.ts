import { describe, expect, it } from "vitest";
import { describeAuditEntry, type AuditEntryView, type Segment } from "./audit-sentence";

const siteId = "0b6c2f0e-8a4e-4d8e-9c1a-2f7f3c1d9a01";
const assetId = "5f1d8a2b-3c4e-4f60-8a7b-9c0d1e2f3a4b";
const eventId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const text = (segments: Segment[]) => segments.map((s) => (typeof s === "string" ? s : s.text)).join("");
const links = (segments: Segment[]) => segments.filter((s): s is { text: string; href: string } => typeof s !== "string");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;

function entry(action: string, fields: Partial<AuditEntryView> = {}): AuditEntryView {
  return { action, targetType: null, targetId: null, details: {}, target: null, ...fields };
}

describe("audit entries as sentences", () => {
  it("names a settled grid event, links to it and states the money in pounds", () => {
    const sentence = describeAuditEntry(
      entry("grid_event.settled", { targetType: "grid_event", targetId: eventId, target: { label: "Tea-time turn-down", siteId: null }, details: { credited: 9, creditedPence: 434, rerun: false } }),
    );
    expect(text(sentence)).toBe("settled grid event “Tea-time turn-down”, crediting £4.34 to 9 sites");
    expect(links(sentence)).toEqual([{ text: "grid event “Tea-time turn-down”", href: `/grid-events/${eventId}` }]);
  });

  it("links an asset to its page under its site and shows the mode in words", () => {
    const sentence = describeAuditEntry(
      entry("battery.operation_mode.requested", { targetType: "asset", targetId: assetId, target: { label: "demo-battery-07", siteId }, details: { actionId: eventId, operationMode: "EXPORT_FOCUS" } }),
    );
    expect(text(sentence)).toBe("asked asset demo-battery-07 to switch to Export focus");
    expect(links(sentence)[0]?.href).toBe(`/sites/${siteId}/assets/${assetId}`);
  });

  it("keeps the credential secret out and names the OEM", () => {
    const sentence = describeAuditEntry(
      entry("oem_credential.submitted", { targetType: "site", targetId: siteId, target: { label: "MPAN 1900000000011", siteId }, details: { oem: "givenergy", tokenType: "API_KEY", lastFour: "9x2Q", resolvedBy: "request" } }),
    );
    expect(text(sentence)).toBe("saved a GivEnergy credential ending 9x2Q for site MPAN 1900000000011");
    expect(text(sentence)).not.toMatch(/API_KEY|resolvedBy|request/);
  });

  it("says when the target no longer exists instead of showing its id", () => {
    const sentence = describeAuditEntry(entry("site.updated", { targetType: "site", targetId: siteId, details: { fields: ["postcode", "streetAddress"] } }));
    expect(text(sentence)).toBe("changed the postcode and street address of a site that no longer exists");
    expect(links(sentence)).toEqual([]);
  });

  it("turns proposition keys and consent kinds into their names", () => {
    const consent = describeAuditEntry(
      entry("consent.recorded", { targetType: "site", targetId: siteId, target: { label: "MPAN 1900000000011", siteId }, details: { changes: [{ kind: "boundary_meter", action: "granted" }, { kind: "full_asset_control", action: "withdrawn" }] } }),
    );
    expect(text(consent)).not.toMatch(/full_asset_control|boundary_meter/);
    expect(text(consent)).toMatch(/^recorded consent to boundary-meter data, withdrawal of .+ for site MPAN/);
  });

  it("reads an action it has no words for as words, never as a key or JSON", () => {
    const sentence = describeAuditEntry(entry("customer.created", { targetType: "customer", targetId: assetId, details: { externalUserId: "u-1", nested: { a: 1 } } }));
    expect(text(sentence)).toBe("created customer");
  });

  it("leaves no uuid, enum key or brace in any sentence the service records", () => {
    const actions = ["site.created", "site.deleted", "asset.created", "asset.deleted", "grid_event.restore_failed", "rewards.payouts.approved", "member.role_changed", "api_client.created", "schedule_endpoint.test_sent", "battery_schedules.planned"];
    for (const action of actions) {
      const sentence = text(
        describeAuditEntry(
          entry(action, { targetType: "asset", targetId: assetId, target: { label: "demo-battery-01", siteId }, details: { siteId, eventId, type: "battery", externalId: "b-1", entries: 2, amountPence: 1250, from: "viewer", to: "operator", email: "op@example.test", name: "Partner", httpStatus: 204, planned: 3, localDate: "2026-12-04" } }),
        ),
      );
      expect(sentence, action).not.toMatch(UUID);
      expect(sentence, action).not.toMatch(/[{}]|_/);
    }
  });
});
