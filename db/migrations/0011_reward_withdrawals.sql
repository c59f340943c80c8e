CREATE TABLE "reward_bank_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"key_id" text NOT NULL,
	"sealed_details" text NOT NULL,
	"sort_code_display" text NOT NULL,
	"account_number_last4" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"replaced_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reward_verification_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_withdrawal_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"link_id" uuid,
	"amount_pence" integer NOT NULL,
	"covered_entry_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reward_bank_accounts" ADD CONSTRAINT "reward_bank_accounts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_bank_accounts" ADD CONSTRAINT "reward_bank_accounts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_verification_codes" ADD CONSTRAINT "reward_verification_codes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_verification_codes" ADD CONSTRAINT "reward_verification_codes_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_verification_codes" ADD CONSTRAINT "reward_verification_codes_link_id_householder_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."householder_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_withdrawal_requests" ADD CONSTRAINT "reward_withdrawal_requests_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_withdrawal_requests" ADD CONSTRAINT "reward_withdrawal_requests_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_withdrawal_requests" ADD CONSTRAINT "reward_withdrawal_requests_entry_id_reward_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."reward_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_withdrawal_requests" ADD CONSTRAINT "reward_withdrawal_requests_bank_account_id_reward_bank_accounts_id_fk" FOREIGN KEY ("bank_account_id") REFERENCES "public"."reward_bank_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_withdrawal_requests" ADD CONSTRAINT "reward_withdrawal_requests_link_id_householder_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."householder_links"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reward_bank_accounts_one_current_idx" ON "reward_bank_accounts" USING btree ("site_id") WHERE "reward_bank_accounts"."replaced_at" is null;--> statement-breakpoint
CREATE INDEX "reward_bank_accounts_org_site_idx" ON "reward_bank_accounts" USING btree ("organisation_id","site_id");--> statement-breakpoint
CREATE INDEX "reward_verification_codes_link_idx" ON "reward_verification_codes" USING btree ("link_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "reward_withdrawal_requests_entry_idx" ON "reward_withdrawal_requests" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "reward_withdrawal_requests_org_site_idx" ON "reward_withdrawal_requests" USING btree ("organisation_id","site_id");