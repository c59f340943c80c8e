// The hosted rewards page behind a withdrawal link: what the householder sees (balance, earnings,
// threshold, history, their masked bank account), the optional emailed code that guards bank setup,
// saving the bank account, and withdrawing the whole available balance. Every function takes the
// raw token and checks it (signature, expiry, link row, site) before doing anything.
//
// A withdrawal is one negative ledger entry (pending_approval) for the whole balance, keyed
// `withdrawal_request:<link id>` so a double submit records it once, plus a request row naming the
// bank account and the credits it settles. The payout run pays the withdrawal to that account and
// moves those credits with it, so nothing is paid twice (see exportPayoutRun and docs/rewards.md).
import { authorize } from "../authorize";
import { maskEmail } from "@/server/domain/masking";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { householderLinks, rewardBankAccounts, rewardEntries, rewardVerificationCodes, rewardWithdrawalRequests, sites } from "@/db/schema";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ServiceContext } from "../context";
import { countCredentialAttempt, credentialLimits, type CountedAttempt } from "../auth-throttle/auth-throttle";
import { RateLimitedError, type FieldIssue } from "../errors";
import { sendEmail, type MailDeps } from "../mail/mail";
import { bankAccountInputSchema, getCurrentBankAccount, replaceBankAccount, type MaskedBankAccount } from "./bank-accounts";
import { appendRewardEntry, getSiteBalance, HOUSEHOLDER_WITHDRAWAL_KEY_PREFIX, listSiteLedger } from "./ledger";
import { openWithdrawalLink, withdrawalPagePath, type WithdrawalLinkProblem } from "./withdrawal-links";

export const VERIFICATION_CODE_TTL_MS = 10 * 60 * 1000;
export const VERIFICATION_CODE_MAX_ATTEMPTS = 5;
export const VERIFICATION_CODES_PER_LINK = 5;
const VERIFICATION_RESEND_AFTER_MS = 60 * 1000;

const withdrawalKey = (linkId: string) => `${HOUSEHOLDER_WITHDRAWAL_KEY_PREFIX}${linkId}`;

export interface HouseholderTransaction {
  id: string;
  entryType: string;
  amountPence: number;
  paymentStatus: string;
  createdAt: Date;
}

export interface WithdrawalRecord {
  entryId: string;
  amountPence: number;
  createdAt: Date;
  bankAccount: MaskedBankAccount | null;
}

export interface WithdrawalPageView {
  expiresAt: Date;
  redirectUri: string;
  hideTransactions: boolean;
  /** Open on the bank setup step (asked for, and no account yet). */
  startOnSetup: boolean;
  balancePence: number;
  totalEarnedPence: number;
  thresholdPence: number;
  daysUntilMinimumWaitMet: number;
  bankAccount: MaskedBankAccount | null;
  twoFactor: { required: boolean; verified: boolean; emailOnFile: boolean; emailHint: string | null };
  withdraw: { allowed: boolean; reason: string | null };
  /** A withdrawal already made through this link (the confirmation). */
  withdrawal: WithdrawalRecord | null;
  transactions: HouseholderTransaction[] | null;
}

export type WithdrawalPageProblem = WithdrawalLinkProblem;

async function siteEmail(ctx: ServiceContext, siteId: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ email: sites.email })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  const email = row?.email?.trim();
  return email ? email : null;
}

async function isTwoFactorVerified(ctx: ServiceContext, linkId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: rewardVerificationCodes.id })
    .from(rewardVerificationCodes)
    .where(and(eq(rewardVerificationCodes.organisationId, ctx.orgId), eq(rewardVerificationCodes.linkId, linkId), isNotNull(rewardVerificationCodes.verifiedAt)))
    .limit(1);
  return row !== undefined;
}

async function findWithdrawal(ctx: ServiceContext, linkId: string): Promise<WithdrawalRecord | null> {
  const [row] = await ctx.db
    .select({ entryId: rewardEntries.id, amountPence: rewardEntries.amountPence, createdAt: rewardEntries.createdAt, bankAccountId: rewardWithdrawalRequests.bankAccountId, sortCode: rewardBankAccounts.sortCodeDisplay, last4: rewardBankAccounts.accountNumberLast4, accountCreatedAt: rewardBankAccounts.createdAt })
    .from(rewardEntries)
    .leftJoin(rewardWithdrawalRequests, eq(rewardWithdrawalRequests.entryId, rewardEntries.id))
    .leftJoin(rewardBankAccounts, eq(rewardBankAccounts.id, rewardWithdrawalRequests.bankAccountId))
    .where(and(eq(rewardEntries.organisationId, ctx.orgId), eq(rewardEntries.idempotencyKey, withdrawalKey(linkId))))
    .limit(1);
  if (!row) return null;
  const bankAccount = row.bankAccountId && row.sortCode && row.last4 && row.accountCreatedAt ? { id: row.bankAccountId, sortCode: row.sortCode, accountNumberMasked: `••••${row.last4}`, createdAt: row.accountCreatedAt } : null;
  return { entryId: row.entryId, amountPence: row.amountPence, createdAt: row.createdAt, bankAccount };
}

function withdrawRefusal(balance: { currentBalancePence: number; minimumWithdrawalThresholdPence: number; daysUntilMinimumWaitMet: number }, bankAccount: MaskedBankAccount | null): string | null {
  if (balance.currentBalancePence <= 0) return "You have no rewards to withdraw yet.";
  if (balance.currentBalancePence < balance.minimumWithdrawalThresholdPence) return "Your balance is below the minimum you can withdraw.";
  if (balance.daysUntilMinimumWaitMet > 0) return `You can make your first withdrawal in ${balance.daysUntilMinimumWaitMet} day${balance.daysUntilMinimumWaitMet === 1 ? "" : "s"}.`;
  if (!bankAccount) return "Add a bank account to withdraw to.";
  return null;
}

export async function openWithdrawalPage(token: string, now: Date = new Date()): Promise<{ ok: true; view: WithdrawalPageView } | { ok: false; problem: WithdrawalPageProblem }> {
  const opened = await openWithdrawalLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, claims, siteId, linkId } = opened;
  authorize(ctx, "rewards:read");
  const [balance, bankAccount, email, verified, withdrawal, entries] = await Promise.all([
    getSiteBalance(ctx, siteId, now),
    getCurrentBankAccount(ctx, siteId),
    siteEmail(ctx, siteId),
    claims.enforceTwoFactorAuth ? isTwoFactorVerified(ctx, linkId) : Promise.resolve(false),
    findWithdrawal(ctx, linkId),
    claims.hideTransactions ? Promise.resolve(null) : listSiteLedger(ctx, siteId, 200),
  ]);
  const reason = withdrawRefusal(balance, bankAccount);
  return {
    ok: true,
    view: {
      expiresAt: opened.expiresAt,
      redirectUri: claims.redirectUri,
      hideTransactions: claims.hideTransactions,
      startOnSetup: claims.autoRedirectToSetup && bankAccount === null,
      balancePence: balance.currentBalancePence,
      totalEarnedPence: balance.totalEarningsPence,
      thresholdPence: balance.minimumWithdrawalThresholdPence,
      daysUntilMinimumWaitMet: balance.daysUntilMinimumWaitMet,
      bankAccount,
      twoFactor: { required: claims.enforceTwoFactorAuth, verified, emailOnFile: email !== null, emailHint: email === null ? null : maskEmail(email) },
      withdraw: { allowed: reason === null, reason },
      withdrawal,
      transactions: entries ? entries.map((entry) => ({ id: entry.id, entryType: entry.entryType, amountPence: entry.amountPence, paymentStatus: entry.paymentStatus, createdAt: entry.createdAt })) : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The emailed code that unlocks bank setup when the link enforces two-factor checks

function hashCode(linkId: string, code: string): string {
  const key = createHmac("sha256", getConfig().sessionSecret).update("flexfleet:rewards-bank-verification-code").digest();
  return createHmac("sha256", key).update(`${linkId}:${code}`).digest("base64url");
}

export type RequestCodeResult =
  | { ok: true; emailHint: string; alreadyVerified: boolean }
  | { ok: false; problem: WithdrawalPageProblem | "not_required" | "no_email" | "too_soon" | "too_many_codes" | "unavailable" };

/** Emails a fresh 6-digit code to the site's address (hashed at rest; 10 minutes; a few per link). */
export async function requestBankVerificationCode(token: string, now: Date = new Date(), mailDeps: MailDeps = {}): Promise<RequestCodeResult> {
  const opened = await openWithdrawalLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, claims, siteId, linkId } = opened;
  authorize(ctx, "rewards:withdraw");
  if (!claims.enforceTwoFactorAuth) return { ok: false, problem: "not_required" };
  const email = await siteEmail(ctx, siteId);
  if (email === null) return { ok: false, problem: "no_email" };
  if (await isTwoFactorVerified(ctx, linkId)) return { ok: true, emailHint: maskEmail(email), alreadyVerified: true };
  const previous = await ctx.db
    .select({ createdAt: rewardVerificationCodes.createdAt })
    .from(rewardVerificationCodes)
    .where(and(eq(rewardVerificationCodes.organisationId, ctx.orgId), eq(rewardVerificationCodes.linkId, linkId)))
    .orderBy(desc(rewardVerificationCodes.createdAt));
  if (previous.length >= VERIFICATION_CODES_PER_LINK) return { ok: false, problem: "too_many_codes" };
  const last = previous[0];
  if (last && now.getTime() - last.createdAt.getTime() < VERIFICATION_RESEND_AFTER_MS) return { ok: false, problem: "too_soon" };
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const [row] = await ctx.db
    .insert(rewardVerificationCodes)
    .values({ organisationId: ctx.orgId, siteId, linkId, codeHash: hashCode(linkId, code), expiresAt: new Date(now.getTime() + VERIFICATION_CODE_TTL_MS), createdAt: now })
    .returning({ id: rewardVerificationCodes.id });
  if (!row) throw new Error("verification code insert returned nothing");
  const sent = await sendEmail(
    ctx,
    {
      to: email,
      subject: "Your code to add a bank account",
      text: `Your code is ${code}.\n\nEnter it on the rewards page to add or change the bank account your rewards are paid into. It works for 10 minutes.\n\nIf you did not ask for this, ignore this email: nothing changes without the code.\n`,
      purpose: "rewards.bank_verification_code",
      relatedId: row.id,
      metadata: { siteId, linkId },
    },
    { ...mailDeps, now },
  );
  if (sent.status === "failed") return { ok: false, problem: "unavailable" };
  return { ok: true, emailHint: maskEmail(email), alreadyVerified: false };
}

export type ConfirmCodeResult =
  | { ok: true }
  | { ok: false; problem: WithdrawalPageProblem | "not_required" | "no_code" | "too_many_attempts" }
  | { ok: false; problem: "wrong_code"; attemptsLeft: number }
  | { ok: false; problem: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks the latest unexpired code for the link; each wrong try uses up one of its attempts. On top
 * of the per-code attempts, guesses are throttled per link and per client address (across codes and
 * links), so asking for fresh codes cannot turn into unlimited guessing.
 */
export async function confirmBankVerificationCode(token: string, code: unknown, now: Date = new Date(), options: { clientAddress?: string | null } = {}): Promise<ConfirmCodeResult> {
  const opened = await openWithdrawalLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, claims, linkId } = opened;
  authorize(ctx, "rewards:withdraw");
  if (!claims.enforceTwoFactorAuth) return { ok: false, problem: "not_required" };
  if (await isTwoFactorVerified(ctx, linkId)) return { ok: true };
  const limits = credentialLimits();
  let attempt: CountedAttempt;
  try {
    attempt = await countCredentialAttempt(
      [
        { bucket: "code-link", subject: linkId, limit: limits.perSubject },
        ...(options.clientAddress ? [{ bucket: "code-address" as const, subject: options.clientAddress, limit: limits.perAddress }] : []),
      ],
      (retryAfter) => `Too many attempts. Try again in ${retryAfter}.`,
      now,
    );
  } catch (error) {
    if (error instanceof RateLimitedError) return { ok: false, problem: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  const [latest] = await ctx.db
    .select()
    .from(rewardVerificationCodes)
    .where(and(eq(rewardVerificationCodes.organisationId, ctx.orgId), eq(rewardVerificationCodes.linkId, linkId), isNull(rewardVerificationCodes.verifiedAt)))
    .orderBy(desc(rewardVerificationCodes.createdAt))
    .limit(1);
  if (!latest || latest.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "no_code" };
  // Count the attempt before comparing, atomically, so parallel guesses cannot exceed the limit.
  const [counted] = await ctx.db
    .update(rewardVerificationCodes)
    .set({ attempts: sql`${rewardVerificationCodes.attempts} + 1` })
    .where(and(eq(rewardVerificationCodes.id, latest.id), lt(rewardVerificationCodes.attempts, VERIFICATION_CODE_MAX_ATTEMPTS)))
    .returning({ attempts: rewardVerificationCodes.attempts });
  if (!counted) return { ok: false, problem: "too_many_attempts" };
  const given = Buffer.from(hashCode(linkId, typeof code === "string" ? code.replace(/\s/g, "") : ""));
  const expected = Buffer.from(latest.codeHash);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    const attemptsLeft = VERIFICATION_CODE_MAX_ATTEMPTS - counted.attempts;
    return attemptsLeft > 0 ? { ok: false, problem: "wrong_code", attemptsLeft } : { ok: false, problem: "too_many_attempts" };
  }
  await ctx.db.update(rewardVerificationCodes).set({ verifiedAt: now }).where(eq(rewardVerificationCodes.id, latest.id));
  await attempt.succeeded();
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Bank account and withdrawal

export type SaveBankAccountResult =
  | { ok: true; bankAccount: MaskedBankAccount }
  | { ok: false; problem: WithdrawalPageProblem | "verification_required" }
  | { ok: false; problem: "invalid_input"; issues: FieldIssue[] };

/** Validates and stores (or replaces) the site's bank account, sealed; needs a confirmed code when the link says so. */
export async function saveWithdrawalBankAccount(token: string, input: { accountHolderName: unknown; sortCode: unknown; accountNumber: unknown }, now: Date = new Date()): Promise<SaveBankAccountResult> {
  const opened = await openWithdrawalLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, claims, siteId, linkId } = opened;
  authorize(ctx, "rewards:withdraw");
  if (claims.enforceTwoFactorAuth && !(await isTwoFactorVerified(ctx, linkId))) return { ok: false, problem: "verification_required" };
  const parsed = bankAccountInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problem: "invalid_input", issues: parsed.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message })) };
  }
  const bankAccount = await ctx.db.transaction(async (tx) => {
    const saved = await replaceBankAccount({ ...ctx, db: tx }, siteId, parsed.data, now);
    await tx.update(householderLinks).set({ lastUsedAt: now }).where(eq(householderLinks.id, linkId));
    return saved;
  });
  return { ok: true, bankAccount };
}

export type WithdrawResult =
  | { ok: true; withdrawal: WithdrawalRecord; repeated: boolean; redirectUri: string }
  | { ok: false; problem: WithdrawalPageProblem }
  | { ok: false; problem: "not_allowed"; message: string };

/**
 * Withdraws the whole available balance: one negative `withdrawal` entry awaiting approval, once per
 * link (a repeat returns the first). Refused below the threshold, before the minimum wait since the
 * first credit, and without a bank account. Withdrawals of one site are serialised on its row.
 */
export async function withdrawRewardBalance(token: string, now: Date = new Date()): Promise<WithdrawResult> {
  const opened = await openWithdrawalLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, claims, siteId, linkId } = opened;
  authorize(ctx, "rewards:withdraw");
  const outcome = await ctx.db.transaction(async (tx): Promise<WithdrawResult> => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await tx
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
      .for("update");
    const earlier = await findWithdrawal(txCtx, linkId);
    if (earlier) return { ok: true, withdrawal: earlier, repeated: true, redirectUri: claims.redirectUri };
    const [balance, bankAccount] = await Promise.all([getSiteBalance(txCtx, siteId, now), getCurrentBankAccount(txCtx, siteId)]);
    const refusal = withdrawRefusal(balance, bankAccount);
    if (refusal !== null || !bankAccount) return { ok: false, problem: "not_allowed", message: refusal ?? "Add a bank account to withdraw to." };
    // The credits this withdrawal settles: those in the balance and not already settled by an open withdrawal.
    const settledByOpen = tx
      .select({ id: sql`unnest(${rewardWithdrawalRequests.coveredEntryIds})` })
      .from(rewardWithdrawalRequests)
      .innerJoin(rewardEntries, eq(rewardEntries.id, rewardWithdrawalRequests.entryId))
      .where(and(eq(rewardWithdrawalRequests.organisationId, ctx.orgId), eq(rewardWithdrawalRequests.siteId, siteId), inArray(rewardEntries.paymentStatus, ["pending_approval", "approved"])));
    const covered = await tx
      .select({ id: rewardEntries.id })
      .from(rewardEntries)
      .where(
        and(
          eq(rewardEntries.organisationId, ctx.orgId),
          eq(rewardEntries.siteId, siteId),
          sql`${rewardEntries.entryType} <> 'withdrawal'`,
          inArray(rewardEntries.paymentStatus, ["pending_approval", "approved", "failed"]),
          sql`${rewardEntries.id} not in (${settledByOpen})`,
        ),
      );
    const entry = await appendRewardEntry(txCtx, { siteId, entryType: "withdrawal", amountPence: -balance.currentBalancePence, idempotencyKey: withdrawalKey(linkId), note: "Withdrawal requested by the householder" });
    if (!entry) {
      const raced = await findWithdrawal(txCtx, linkId);
      if (raced) return { ok: true, withdrawal: raced, repeated: true, redirectUri: claims.redirectUri };
      throw new Error("withdrawal entry neither inserted nor found");
    }
    await tx.insert(rewardWithdrawalRequests).values({ organisationId: ctx.orgId, siteId, entryId: entry.id, bankAccountId: bankAccount.id, linkId, amountPence: balance.currentBalancePence, coveredEntryIds: covered.map((row) => row.id), createdAt: now });
    await tx.update(householderLinks).set({ lastUsedAt: now }).where(eq(householderLinks.id, linkId));
    await recordAuditEvent(txCtx, { action: "rewards.withdrawal.requested", targetType: "site", targetId: siteId, details: { entryId: entry.id, amountPence: balance.currentBalancePence, bankAccountId: bankAccount.id, linkId, settlesEntries: covered.length } });
    return { ok: true, withdrawal: { entryId: entry.id, amountPence: entry.amountPence, createdAt: entry.createdAt, bankAccount }, repeated: false, redirectUri: claims.redirectUri };
  });
  return outcome;
}

/** The page path for a token (for revalidation after actions). */
export { withdrawalPagePath };
