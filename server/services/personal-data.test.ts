// Viewers may know that householders' personal data exists, not what it is; the services decide.
import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { consentTimeline, recordConsent } from "./consent/consent-ledger";
import { exportSitesCsv } from "./inventory/csv-export";
import { createSite, getSite } from "./inventory/sites";
import { listOutboundEmails, sendEmail } from "./mail/mail";

function mpanWithCheckDigit(first12: string): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

async function collect(chunks: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

describe("personal data by role", () => {
  it("masks the householder's email, withholds consent evidence and mail bodies from viewers, and refuses them the export", async () => {
    const org = await createTestOrg("personal-data");
    const viewer = await org.addOperator("viewer");
    const operator = await org.addOperator("operator");
    const email = `householder-${Date.now()}@example.test`;
    const site = await createSite(org.admin, { mpan: mpanWithCheckDigit("180000005151"), postcode: "EH1 1YZ", streetAddress: "5 Test Close, Edinburgh", email });
    await recordConsent(org.admin, { siteId: site.id, changes: [{ kind: "boundary_meter", action: "granted" }], evidence: { ipAddress: "203.0.113.77", userAgent: "Test browser" } });
    await sendEmail(org.admin, { to: email, subject: "Your consent", text: "Open https://flexfleet.example/consent/secret-link", purpose: "consent.link" }, { smtpUrl: null });

    expect((await getSite(operator.ctx, { siteId: site.id })).email).toBe(email);
    expect((await getSite(viewer.ctx, { siteId: site.id })).email).toBe("h•••@example.test");

    const evidenceSeenBy = async (ctx: typeof viewer.ctx) => (await consentTimeline(ctx, { siteId: site.id })).map((entry) => entry.evidence);
    expect(await evidenceSeenBy(operator.ctx)).toEqual([expect.objectContaining({ ipAddress: "203.0.113.77" })]);
    expect(JSON.stringify(await evidenceSeenBy(viewer.ctx))).not.toContain("203.0.113.77");

    const mailSeenBy = async (ctx: typeof viewer.ctx) => (await listOutboundEmails(ctx, { purpose: "consent.link" })).items;
    expect((await mailSeenBy(operator.ctx))[0]?.textBody).toContain("secret-link");
    const [masked] = await mailSeenBy(viewer.ctx);
    expect(masked).toMatchObject({ bodyHidden: true, textBody: "", toAddress: "h•••@example.test" });
    expect(JSON.stringify(masked)).not.toContain(email);

    // The export refuses before it yields a line.
    expect(() => exportSitesCsv(viewer.ctx, {})).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(await collect(exportSitesCsv(operator.ctx, {}))).toContain(email);
  });
});
