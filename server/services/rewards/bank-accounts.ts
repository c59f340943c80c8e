// The bank account a site's rewards are paid into. Holder name, sort code and account number are
// sealed together with AES-256-GCM under the configured encryption key (key id stored beside the
// ciphertext, so rotated keys still open older rows); the row id is bound as associated data, so a
// sealed blob copied onto another site's row does not open. Only the sort code and the last four
// digits are kept apart for the masked display; the full details are opened for the payout export.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { rewardBankAccounts } from "@/db/schema";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ServiceContext } from "../context";
import { buildKeyring, openSecret, sealSecret, type EncryptionKey } from "../credentials/credential-crypto";
import { isUuid } from "../inventory/records";

export const bankAccountInputSchema = z.object({
  accountHolderName: z
    .string({ error: "Enter the name on the account." })
    .trim()
    .min(2, "Enter the name on the account.")
    .max(70, "Enter at most 70 characters.")
    .regex(/^[\p{L}\p{M}0-9 .,'&/-]+$/u, "Use letters, numbers, spaces and . , ' & / - only."),
  sortCode: z
    .string({ error: "Enter a 6-digit sort code." })
    .transform((value) => value.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter a 6-digit sort code, like 12-34-56.")),
  accountNumber: z
    .string({ error: "Enter an 8-digit account number." })
    .transform((value) => value.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{8}$/, "Enter an 8-digit account number.")),
});
export type BankAccountInput = z.input<typeof bankAccountInputSchema>;
export type BankAccountDetails = z.output<typeof bankAccountInputSchema>;

export interface MaskedBankAccount {
  id: string;
  /** "12-34-56" */
  sortCode: string;
  /** "••••5678" */
  accountNumberMasked: string;
  createdAt: Date;
}

/** Associated data of a sealed bank account: its own row id (also used by key rotation, credentials.ts). */
export const bankAccountSealContext = (bankAccountId: string) => `reward-bank-account:${bankAccountId}`;
const sealContext = bankAccountSealContext;

function keyring(): EncryptionKey[] {
  const config = getConfig();
  return buildKeyring(config.encryption, config.previousEncryptionKeys);
}

export function formatSortCode(digits: string): string {
  return `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4, 6)}`;
}

function toMasked(row: { id: string; sortCodeDisplay: string; accountNumberLast4: string; createdAt: Date }): MaskedBankAccount {
  return { id: row.id, sortCode: row.sortCodeDisplay, accountNumberMasked: `••••${row.accountNumberLast4}`, createdAt: row.createdAt };
}

export async function getCurrentBankAccount(ctx: ServiceContext, siteId: string): Promise<MaskedBankAccount | null> {
  if (!isUuid(siteId)) return null;
  const [row] = await ctx.db
    .select()
    .from(rewardBankAccounts)
    .where(and(eq(rewardBankAccounts.organisationId, ctx.orgId), eq(rewardBankAccounts.siteId, siteId), isNull(rewardBankAccounts.replacedAt)))
    .limit(1);
  return row ? toMasked(row) : null;
}

/**
 * Stores (or replaces) the site's bank account from already validated details. Runs in the
 * caller's transaction when ctx.db is one; the audit record names the masked account only.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: only the householder withdrawal flow, after rewards:withdraw
export async function replaceBankAccount(ctx: ServiceContext, siteId: string, details: BankAccountDetails, now: Date = new Date()): Promise<MaskedBankAccount> {
  const write = async (tx: ServiceContext["db"]) => {
    const replaced = await tx
      .update(rewardBankAccounts)
      .set({ replacedAt: now })
      .where(and(eq(rewardBankAccounts.organisationId, ctx.orgId), eq(rewardBankAccounts.siteId, siteId), isNull(rewardBankAccounts.replacedAt)))
      .returning({ id: rewardBankAccounts.id });
    const id = randomUUID();
    const sealed = sealSecret(JSON.stringify(details), getConfig().encryption, sealContext(id));
    const [row] = await tx
      .insert(rewardBankAccounts)
      .values({
        id,
        organisationId: ctx.orgId,
        siteId,
        keyId: sealed.keyId,
        sealedDetails: sealed.ciphertext,
        sortCodeDisplay: formatSortCode(details.sortCode),
        accountNumberLast4: details.accountNumber.slice(-4),
        createdAt: now,
        createdBy: ctx.actor.label,
      })
      .returning();
    if (!row) throw new Error("bank account insert returned nothing");
    const masked = toMasked(row);
    await recordAuditEvent({ ...ctx, db: tx }, { action: replaced.length > 0 ? "rewards.bank_account.replaced" : "rewards.bank_account.added", targetType: "site", targetId: siteId, details: { bankAccountId: id, sortCode: masked.sortCode, accountNumber: masked.accountNumberMasked } });
    return masked;
  };
  // A nested transaction is a savepoint: the replace and the insert stand or fall together.
  return ctx.db.transaction((tx) => write(tx));
}

/** Opens the sealed details of the given accounts, for the payout export only (never shown or logged). */
export async function openBankAccountsForPayout(ctx: ServiceContext, bankAccountIds: readonly string[]): Promise<Map<string, BankAccountDetails>> {
  const ids = bankAccountIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: rewardBankAccounts.id, keyId: rewardBankAccounts.keyId, sealedDetails: rewardBankAccounts.sealedDetails })
    .from(rewardBankAccounts)
    .where(and(eq(rewardBankAccounts.organisationId, ctx.orgId), inArray(rewardBankAccounts.id, ids)));
  const ring = keyring();
  const opened = new Map<string, BankAccountDetails>();
  for (const row of rows) {
    const details = bankAccountInputSchema.parse(JSON.parse(openSecret({ keyId: row.keyId, ciphertext: row.sealedDetails }, ring, sealContext(row.id))));
    opened.set(row.id, details);
  }
  return opened;
}
