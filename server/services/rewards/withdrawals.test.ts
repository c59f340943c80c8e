import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, outboundEmails, rewardBankAccounts, rewardEntries, rewardVerificationCodes } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { signIntentLinkToken } from "@/server/services/consent/intent-links";
import { createSite } from "@/server/services/inventory/sites";
import { offboardSite } from "@/server/services/offboarding/offboard-site";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { addManualRewardEntry, approveRewardEntries, exportPayoutRun, getSiteBalance, getSiteLedgerView, listSiteLedger, recordPayoutOutcome, updateRewardSettings } from "./ledger";
import { createWithdrawalLink, redirectUriProblem, signWithdrawalLinkToken, verifyWithdrawalLinkToken } from "./withdrawal-links";
import { confirmBankVerificationCode, openWithdrawalPage, requestBankVerificationCode, saveWithdrawalBankAccount, withdrawRewardBalance } from "./withdrawals";

const settings = { operatorSharePct: 50, signUpBonusPence: 0, withdrawalThresholdPence: 500, withdrawalMinWaitDays: 0, scheduleMarket: "wholesale", importMarginPencePerKwh: 15, exportMarginPencePerKwh: 2 };
const bank = { accountHolderName: "Jane Q Householder", sortCode: "12-34-56", accountNumber: "87654321" };
const redirectUri = "https://partner.example.com/rewards/done";

async function siteWithCredit(org: TestOrg, pence: number, email: string | null = "jane@example.com"): Promise<string> {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", ...(email === null ? {} : { email }) });
  if (pence > 0) await addManualRewardEntry(org.admin, { siteId: site.id, entryType: "correction", amountPence: pence, note: "Test credit" });
  return site.id;
}

async function latestCodeFor(orgId: string): Promise<string> {
  const [mail] = await getDb().select().from(outboundEmails).where(and(eq(outboundEmails.organisationId, orgId), eq(outboundEmails.purpose, "rewards.bank_verification_code"))).orderBy(desc(outboundEmails.createdAt)).limit(1);
  const code = /\b(\d{6})\b/.exec(mail?.textBody ?? "")?.[1];
  if (!code) throw new Error("no code email");
  return code;
}

describe("reward withdrawal links", () => {
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    org = await createTestOrg("withdrawals");
    other = await createTestOrg("withdrawals-other");
    await updateRewardSettings(org.admin, settings);
  });

  it("signs tokens that verify, and tells malformed, tampered and expired ones apart", () => {
    const claims = { linkId: crypto.randomUUID(), orgId: crypto.randomUUID(), siteId: crypto.randomUUID(), purpose: "rewards_withdrawal" as const, redirectUri, enforceTwoFactorAuth: true, hideTransactions: false, autoRedirectToSetup: true, exp: Math.floor(Date.now() / 1000) + 3600 };
    const token = signWithdrawalLinkToken(claims);
    expect(verifyWithdrawalLinkToken(token)).toEqual({ ok: true, claims: { ...claims, v: 1 } });
    expect(verifyWithdrawalLinkToken("not-a-token")).toEqual({ ok: false, reason: "malformed" });
    const [payload = "", signature = ""] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, hideTransactions: true, v: 1 })).toString("base64url");
    expect(verifyWithdrawalLinkToken(`${forged}.${signature}`)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyWithdrawalLinkToken(`${payload}.${signature.slice(0, -2)}AA`)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyWithdrawalLinkToken(token, new Date((claims.exp + 1) * 1000))).toEqual({ ok: false, reason: "expired" });
    // An intent-link token is signed under another derived key: it never opens this page.
    const intent = signIntentLinkToken({ linkId: claims.linkId, orgId: claims.orgId, siteId: claims.siteId, assetId: claims.siteId, purpose: "intent", exp: claims.exp });
    expect(verifyWithdrawalLinkToken(intent)).toEqual({ ok: false, reason: "tampered" });
  });

  it("accepts only absolute https redirect URIs (http for localhost)", () => {
    expect(redirectUriProblem("https://partner.example.com/x?y=1")).toBeNull();
    expect(redirectUriProblem("http://localhost:3000/done")).toBeNull();
    expect(redirectUriProblem("http://partner.example.com/done")).toMatch(/https/);
    expect(redirectUriProblem("/relative/path")).toMatch(/absolute/);
    expect(redirectUriProblem("javascript:alert(1)")).toMatch(/https/);
    expect(redirectUriProblem("https://user:pw@partner.example.com/")).toMatch(/password/);
  });

  it("creates a one-hour link whose page shows the balance, and refuses bad input and other organisations", async () => {
    const siteId = await siteWithCredit(org, 1200);
    await expect(createWithdrawalLink(org.admin, { siteId, redirectUri: "http://partner.example.com/" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["redirect_uri"] }] });
    await expect(createWithdrawalLink(other.admin, { siteId, redirectUri })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await org.addOperator("viewer");
    await expect(createWithdrawalLink(viewer.ctx, { siteId, redirectUri })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const now = new Date();
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri, autoRedirectToSetup: true }, now);
    expect(link.expiresAt.getTime() - now.getTime()).toBe(3_600_000);
    expect(link.url).toMatch(/\/rewards\/withdraw\//);
    const page = await openWithdrawalPage(link.token);
    if (!page.ok) throw new Error(page.problem);
    expect(page.view).toMatchObject({ balancePence: 1200, totalEarnedPence: 1200, thresholdPence: 500, bankAccount: null, startOnSetup: true, redirectUri, withdraw: { allowed: false, reason: "Add a bank account to withdraw to." } });
    expect(page.view.transactions).toHaveLength(1);
    expect(await openWithdrawalPage(link.token, new Date(now.getTime() + 3_600_001))).toEqual({ ok: false, problem: "expired" });
    // A validly signed token naming this link under another organisation opens nothing.
    const verified = verifyWithdrawalLinkToken(link.token);
    if (!verified.ok) throw new Error("token did not verify");
    const crossed = signWithdrawalLinkToken({ ...verified.claims, orgId: other.orgId });
    expect(await openWithdrawalPage(crossed)).toEqual({ ok: false, problem: "invalid" });
    const hidden = await createWithdrawalLink(org.admin, { siteId, redirectUri, hideTransactions: true });
    const hiddenPage = await openWithdrawalPage(hidden.token);
    expect(hiddenPage.ok && hiddenPage.view.transactions).toBeNull();
  });

  it("stores bank details sealed, shows them masked, validates each field and replaces the account", async () => {
    const siteId = await siteWithCredit(org, 800);
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri });
    const invalid = await saveWithdrawalBankAccount(link.token, { accountHolderName: "", sortCode: "12-34", accountNumber: "1234567x" });
    expect(invalid).toMatchObject({ ok: false, problem: "invalid_input" });
    if (invalid.ok || invalid.problem !== "invalid_input") throw new Error("expected field errors");
    expect([...new Set(invalid.issues.map((issue) => issue.path[0]))].sort()).toEqual(["accountHolderName", "accountNumber", "sortCode"]);

    const saved = await saveWithdrawalBankAccount(link.token, bank);
    expect(saved).toMatchObject({ ok: true, bankAccount: { sortCode: "12-34-56", accountNumberMasked: "••••4321" } });
    const [raw] = await getDb().select().from(rewardBankAccounts).where(eq(rewardBankAccounts.siteId, siteId));
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain("87654321");
    expect(stored).not.toContain("Householder");
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.targetId, siteId)));
    expect(JSON.stringify(audit)).not.toContain("87654321");

    await saveWithdrawalBankAccount(link.token, { accountHolderName: "Jane Householder", sortCode: "654321", accountNumber: "1111 2222" });
    const rows = await getDb().select().from(rewardBankAccounts).where(eq(rewardBankAccounts.siteId, siteId));
    expect(rows.filter((row) => row.replacedAt === null)).toHaveLength(1);
    const view = await getSiteLedgerView(org.admin, siteId);
    expect(view.bankAccount).toMatchObject({ sortCode: "65-43-21", accountNumberMasked: "••••2222" });
    await expect(getSiteLedgerView(other.admin, siteId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("with two-factor checks, needs an emailed code before bank setup; wrong codes use up attempts", async () => {
    const siteId = await siteWithCredit(org, 800);
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri, enforceTwoFactorAuth: true });
    expect(await saveWithdrawalBankAccount(link.token, bank)).toEqual({ ok: false, problem: "verification_required" });
    expect(await confirmBankVerificationCode(link.token, "123456")).toEqual({ ok: false, problem: "no_code" });
    const now = new Date();
    expect(await requestBankVerificationCode(link.token, now)).toEqual({ ok: true, emailHint: "j•••@example.com", alreadyVerified: false });
    expect(await requestBankVerificationCode(link.token, new Date(now.getTime() + 5_000))).toEqual({ ok: false, problem: "too_soon" });
    const code = await latestCodeFor(org.orgId);
    const [stored] = await getDb().select().from(rewardVerificationCodes).where(eq(rewardVerificationCodes.siteId, siteId));
    expect(stored?.codeHash).not.toContain(code);
    const wrong = code === "000000" ? "000001" : "000000";
    expect(await confirmBankVerificationCode(link.token, wrong)).toEqual({ ok: false, problem: "wrong_code", attemptsLeft: 4 });
    // After ten minutes the code no longer works.
    expect(await confirmBankVerificationCode(link.token, code, new Date(now.getTime() + 10 * 60_000 + 1))).toEqual({ ok: false, problem: "no_code" });
    expect(await confirmBankVerificationCode(link.token, code)).toEqual({ ok: true });
    expect(await saveWithdrawalBankAccount(link.token, bank)).toMatchObject({ ok: true });
    const page = await openWithdrawalPage(link.token);
    expect(page.ok && page.view.twoFactor).toEqual({ required: true, verified: true, emailOnFile: true, emailHint: "j•••@example.com" });
  });

  it("locks a code after five wrong tries, and says so when the site has no email", async () => {
    const siteId = await siteWithCredit(org, 800);
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri, enforceTwoFactorAuth: true });
    await requestBankVerificationCode(link.token);
    const code = await latestCodeFor(org.orgId);
    const wrong = code === "999999" ? "999998" : "999999";
    for (let attempt = 0; attempt < 4; attempt += 1) await confirmBankVerificationCode(link.token, wrong);
    expect(await confirmBankVerificationCode(link.token, wrong)).toEqual({ ok: false, problem: "too_many_attempts" });
    expect(await confirmBankVerificationCode(link.token, code)).toEqual({ ok: false, problem: "too_many_attempts" });

    const noEmailSite = await siteWithCredit(org, 800, null);
    const noEmailLink = await createWithdrawalLink(org.admin, { siteId: noEmailSite, redirectUri, enforceTwoFactorAuth: true });
    expect(await requestBankVerificationCode(noEmailLink.token)).toEqual({ ok: false, problem: "no_email" });
    const page = await openWithdrawalPage(noEmailLink.token);
    expect(page.ok && page.view.twoFactor).toMatchObject({ required: true, emailOnFile: false });
  });

  it("refuses a withdrawal below the threshold, without a bank account, or before the minimum wait", async () => {
    const small = await siteWithCredit(org, 300);
    const smallLink = await createWithdrawalLink(org.admin, { siteId: small, redirectUri });
    await saveWithdrawalBankAccount(smallLink.token, bank);
    expect(await withdrawRewardBalance(smallLink.token)).toEqual({ ok: false, problem: "not_allowed", message: "Your balance is below the minimum you can withdraw." });
    const noAccount = await siteWithCredit(org, 900);
    const noAccountLink = await createWithdrawalLink(org.admin, { siteId: noAccount, redirectUri });
    expect(await withdrawRewardBalance(noAccountLink.token)).toMatchObject({ ok: false, problem: "not_allowed", message: "Add a bank account to withdraw to." });

    const waitOrg = await createTestOrg("withdrawals-wait");
    await updateRewardSettings(waitOrg.admin, { ...settings, withdrawalMinWaitDays: 30 });
    const fresh = await siteWithCredit(waitOrg, 900);
    const freshLink = await createWithdrawalLink(waitOrg.admin, { siteId: fresh, redirectUri });
    await saveWithdrawalBankAccount(freshLink.token, bank);
    expect(await withdrawRewardBalance(freshLink.token)).toMatchObject({ ok: false, problem: "not_allowed", message: "You can make your first withdrawal in 30 days." });
    expect(await listSiteLedger(waitOrg.admin, fresh)).toHaveLength(1);
  });

  it("withdraws the whole balance once even when submitted twice at the same time, and pays it with bank details in the export", async () => {
    const siteId = await siteWithCredit(org, 1250);
    await addManualRewardEntry(org.admin, { siteId, entryType: "correction", amountPence: -50, note: "Meter fix" });
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri });
    await saveWithdrawalBankAccount(link.token, bank);
    const [first, second] = await Promise.all([withdrawRewardBalance(link.token), withdrawRewardBalance(link.token)]);
    expect(first).toMatchObject({ ok: true, redirectUri, withdrawal: { amountPence: -1200, bankAccount: { accountNumberMasked: "••••4321" } } });
    expect(second).toMatchObject({ ok: true, withdrawal: { amountPence: -1200 } });
    expect([first.ok && first.repeated, second.ok && second.repeated].sort()).toEqual([false, true]);
    const withdrawals = await getDb().select().from(rewardEntries).where(and(eq(rewardEntries.siteId, siteId), eq(rewardEntries.entryType, "withdrawal")));
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]).toMatchObject({ amountPence: -1200, paymentStatus: "pending_approval" });
    expect(await getSiteBalance(org.admin, siteId)).toMatchObject({ currentBalancePence: 0, canWithdraw: false });
    const page = await openWithdrawalPage(link.token);
    expect(page.ok && page.view.withdrawal).toMatchObject({ amountPence: -1200 });

    // An export before approval pays nothing for this site, not even its approved credits.
    await approveRewardEntries(org.admin, { entryIds: (await listSiteLedger(org.admin, siteId)).filter((entry) => entry.entryType !== "withdrawal").map((entry) => entry.id) });
    const early = await exportPayoutRun(org.admin);
    expect(early.csv).not.toContain(siteId);

    await approveRewardEntries(org.admin);
    const run = await exportPayoutRun(org.admin);
    expect(run.csv).toContain(`"${siteId}"`);
    const row = run.csv.split("\n").find((line) => line.includes(siteId) && line.includes('"withdrawal"'));
    expect(row).toContain('"12.00"');
    expect(row).toContain('"Jane Q Householder","12-34-56","87654321"');
    expect(run.csv.split("\n").filter((line) => line.includes(siteId))).toHaveLength(1);
    const [exported] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.action, "rewards.payouts.exported"))).orderBy(desc(auditEvents.createdAt)).limit(1);
    expect(exported?.details).toMatchObject({ reference: run.reference, withdrawals: 1 });
    expect(JSON.stringify(exported)).not.toContain("87654321");
    expect(JSON.stringify(exported)).not.toContain("Jane Q");
    // Credits went with the withdrawal: nothing left to pay, nothing paid twice.
    const ledger = await listSiteLedger(org.admin, siteId);
    expect(ledger.every((entry) => entry.paymentStatus === "processing" && entry.paymentReference === run.reference)).toBe(true);
    // Processing is not paid out yet.
    expect(await getSiteBalance(org.admin, siteId)).toMatchObject({ currentBalancePence: 0, paidOutPence: 0 });
    expect((await exportPayoutRun(org.admin)).csv).not.toContain(siteId);

    // A failed payment puts the balance back, and the credits can be withdrawn again.
    await recordPayoutOutcome(org.admin, { entryIds: [withdrawals[0]?.id ?? ""], outcome: "failed" });
    expect(await getSiteBalance(org.admin, siteId)).toMatchObject({ currentBalancePence: 1200 });
  });

  it("turns links of an offboarded site away", async () => {
    const siteId = await siteWithCredit(org, 900);
    const link = await createWithdrawalLink(org.admin, { siteId, redirectUri });
    await offboardSite(org.admin, { siteId });
    expect(await openWithdrawalPage(link.token)).toEqual({ ok: false, problem: "offboarded" });
    expect(await withdrawRewardBalance(link.token)).toEqual({ ok: false, problem: "offboarded" });
    await expect(createWithdrawalLink(org.admin, { siteId, redirectUri })).rejects.toMatchObject({ code: "PRECONDITION" });
  });
});
