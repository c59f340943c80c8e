// Householder withdrawals of the reward balance: the bank account a site is paid into (sealed at
// rest), the withdrawal requests made through the hosted page, and the one-time email codes that
// guard bank setup when a link asks for two-factor checks. See docs/rewards.md.
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { householderLinks } from "./consent";
import { sites } from "./inventory";
import { organisations } from "./organisations";
import { rewardEntries } from "./rewards";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A site's bank account for reward payouts. Holder name and account number live only inside
 * `sealed_details` (AES-256-GCM, key id kept beside it for rotation); the sort code and the last
 * four digits are kept apart so the account can be shown masked without opening the seal.
 * Replacing an account marks the old row replaced (withdrawals keep pointing at what they used).
 */
export const rewardBankAccounts = pgTable(
  "reward_bank_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    keyId: text("key_id").notNull(),
    /** base64(iv ‖ tag ‖ ciphertext) of {"accountHolderName","sortCode","accountNumber"}. */
    sealedDetails: text("sealed_details").notNull(),
    /** "12-34-56": shown in the masked form. */
    sortCodeDisplay: text("sort_code_display").notNull(),
    accountNumberLast4: text("account_number_last4").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    replacedAt: timestamptz("replaced_at"),
  },
  (t) => [
    uniqueIndex("reward_bank_accounts_one_current_idx").on(t.siteId).where(sql`${t.replacedAt} is null`),
    index("reward_bank_accounts_org_site_idx").on(t.organisationId, t.siteId),
  ],
);

/**
 * One householder withdrawal: the negative ledger entry it created, the account it pays into and
 * the credits it settles (paid together with it in the payout run, so they are never paid twice).
 */
export const rewardWithdrawalRequests = pgTable(
  "reward_withdrawal_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "restrict" }),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => rewardEntries.id, { onDelete: "restrict" }),
    bankAccountId: uuid("bank_account_id")
      .notNull()
      .references(() => rewardBankAccounts.id, { onDelete: "restrict" }),
    linkId: uuid("link_id").references(() => householderLinks.id, { onDelete: "set null" }),
    amountPence: integer("amount_pence").notNull(),
    coveredEntryIds: uuid("covered_entry_ids").array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("reward_withdrawal_requests_entry_idx").on(t.entryId), index("reward_withdrawal_requests_org_site_idx").on(t.organisationId, t.siteId)],
);

/** Emailed one-time codes that unlock bank setup on one link (hashed; short-lived; few attempts). */
export const rewardVerificationCodes = pgTable(
  "reward_verification_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    linkId: uuid("link_id")
      .notNull()
      .references(() => householderLinks.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    verifiedAt: timestamptz("verified_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("reward_verification_codes_link_idx").on(t.linkId, t.createdAt.desc())],
);

export type RewardBankAccountRow = typeof rewardBankAccounts.$inferSelect;
export type RewardWithdrawalRequestRow = typeof rewardWithdrawalRequests.$inferSelect;
