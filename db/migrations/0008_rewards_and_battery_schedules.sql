CREATE TABLE "battery_schedule_slot_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"mode" text NOT NULL,
	"outcome" text NOT NULL,
	"action_id" uuid,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "battery_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"schedule_date" text NOT NULL,
	"version" integer NOT NULL,
	"trigger" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"slots" jsonb NOT NULL,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"total_cost_pence" integer NOT NULL,
	"baseline_cost_pence" integer NOT NULL,
	"saving_pence" integer NOT NULL,
	"solver" text NOT NULL,
	"proven_optimal" boolean NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"entry_type" text NOT NULL,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"flex_kwh" double precision,
	"amount_pence" integer NOT NULL,
	"payment_status" text DEFAULT 'pending_approval' NOT NULL,
	"event_id" uuid,
	"idempotency_key" text NOT NULL,
	"payment_reference" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_payment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reference" text,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"operator_share_pct" double precision DEFAULT 50 NOT NULL,
	"sign_up_bonus_pence" integer DEFAULT 0 NOT NULL,
	"withdrawal_threshold_pence" integer DEFAULT 500 NOT NULL,
	"withdrawal_min_wait_days" integer DEFAULT 0 NOT NULL,
	"schedule_market" text DEFAULT 'wholesale' NOT NULL,
	"import_margin_pence_per_kwh" double precision DEFAULT 15 NOT NULL,
	"export_margin_pence_per_kwh" double precision DEFAULT 2 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "battery_schedule_slot_actions" ADD CONSTRAINT "battery_schedule_slot_actions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_schedule_slot_actions" ADD CONSTRAINT "battery_schedule_slot_actions_schedule_id_battery_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."battery_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_schedule_slot_actions" ADD CONSTRAINT "battery_schedule_slot_actions_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_schedules" ADD CONSTRAINT "battery_schedules_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_schedules" ADD CONSTRAINT "battery_schedules_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_schedules" ADD CONSTRAINT "battery_schedules_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_entries" ADD CONSTRAINT "reward_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_entries" ADD CONSTRAINT "reward_entries_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_entries" ADD CONSTRAINT "reward_entries_event_id_grid_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."grid_events"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_payment_events" ADD CONSTRAINT "reward_payment_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_payment_events" ADD CONSTRAINT "reward_payment_events_entry_id_reward_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."reward_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_settings" ADD CONSTRAINT "reward_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "battery_schedule_slot_actions_asset_slot_idx" ON "battery_schedule_slot_actions" USING btree ("asset_id","slot_start");--> statement-breakpoint
CREATE UNIQUE INDEX "battery_schedules_asset_date_version_idx" ON "battery_schedules" USING btree ("asset_id","schedule_date","version");--> statement-breakpoint
CREATE UNIQUE INDEX "battery_schedules_one_active_idx" ON "battery_schedules" USING btree ("asset_id","schedule_date") WHERE "battery_schedules"."status" = 'active';--> statement-breakpoint
CREATE INDEX "battery_schedules_org_window_idx" ON "battery_schedules" USING btree ("organisation_id","window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_entries_idempotency_idx" ON "reward_entries" USING btree ("organisation_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "reward_entries_site_created_idx" ON "reward_entries" USING btree ("site_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reward_entries_org_status_idx" ON "reward_entries" USING btree ("organisation_id","payment_status");--> statement-breakpoint
CREATE INDEX "reward_entries_event_idx" ON "reward_entries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "reward_payment_events_entry_idx" ON "reward_payment_events" USING btree ("entry_id","changed_at");