CREATE TABLE "asset_readings" (
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"label" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "asset_readings_asset_id_label_start_at_pk" PRIMARY KEY("asset_id","label","start_at")
);
--> statement-breakpoint
CREATE TABLE "charging_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text NOT NULL,
	"session_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charging_intents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"energy_required_kwh" double precision NOT NULL,
	"ready_by_local_time" text NOT NULL,
	"may_charge_peak" boolean DEFAULT false NOT NULL,
	"charging_mode" text DEFAULT 'maximise_charging_time' NOT NULL,
	"energy_estimated" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charging_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"trigger" text NOT NULL,
	"tariff_id" uuid,
	"intent_id" uuid,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"slots" jsonb NOT NULL,
	"energy_kwh" double precision NOT NULL,
	"cost_pence" integer NOT NULL,
	"baseline_cost_pence" integer NOT NULL,
	"saving_pence" integer NOT NULL,
	"met" boolean NOT NULL,
	"shortfall_kwh" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charging_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"plugged_in_at" timestamp with time zone NOT NULL,
	"plugged_out_at" timestamp with time zone,
	"charger_power_kw" double precision NOT NULL,
	"charge_now_until" timestamp with time zone,
	"flagged" boolean DEFAULT false NOT NULL,
	"transaction_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charging_tariffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tariff_type" text NOT NULL,
	"timezone" text NOT NULL,
	"off_peak_times" text NOT NULL,
	"unit_rates" jsonb,
	"effective_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_price_curves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"market" text NOT NULL,
	"source" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"point_count" integer NOT NULL,
	"first_slot_at" timestamp with time zone NOT NULL,
	"last_slot_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_prices" (
	"organisation_id" uuid NOT NULL,
	"market" text NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"price_gbp_per_mwh" double precision NOT NULL,
	"curve_id" uuid NOT NULL,
	CONSTRAINT "market_prices_organisation_id_market_slot_start_pk" PRIMARY KEY("organisation_id","market","slot_start")
);
--> statement-breakpoint
CREATE TABLE "schedule_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"ocpp_version" text NOT NULL,
	"body" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"http_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_endpoints" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"ocpp_version" text NOT NULL,
	"secret_key_id" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_last_four" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_event_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"asset_type" text NOT NULL,
	"control" text NOT NULL,
	"proposition" text NOT NULL,
	"planned_kw" double precision NOT NULL,
	"previous_mode" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"dispatch_action_id" uuid,
	"restore_action_id" uuid,
	"failure_reason" text,
	"delivered_kwh" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_event_status_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"status" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"direction" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"target_kw" double precision NOT NULL,
	"region" text,
	"price_gbp_per_mwh" double precision NOT NULL,
	"propositions" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" text NOT NULL,
	"committed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_readings" ADD CONSTRAINT "asset_readings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_readings" ADD CONSTRAINT "asset_readings_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_events" ADD CONSTRAINT "charging_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_events" ADD CONSTRAINT "charging_events_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_intents" ADD CONSTRAINT "charging_intents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_intents" ADD CONSTRAINT "charging_intents_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_plans" ADD CONSTRAINT "charging_plans_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_plans" ADD CONSTRAINT "charging_plans_session_id_charging_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."charging_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_plans" ADD CONSTRAINT "charging_plans_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_plans" ADD CONSTRAINT "charging_plans_tariff_id_charging_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."charging_tariffs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_plans" ADD CONSTRAINT "charging_plans_intent_id_charging_intents_id_fk" FOREIGN KEY ("intent_id") REFERENCES "public"."charging_intents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_tariffs" ADD CONSTRAINT "charging_tariffs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_tariffs" ADD CONSTRAINT "charging_tariffs_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_price_curves" ADD CONSTRAINT "market_price_curves_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_prices" ADD CONSTRAINT "market_prices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_prices" ADD CONSTRAINT "market_prices_curve_id_market_price_curves_id_fk" FOREIGN KEY ("curve_id") REFERENCES "public"."market_price_curves"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_deliveries" ADD CONSTRAINT "schedule_deliveries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_deliveries" ADD CONSTRAINT "schedule_deliveries_plan_id_charging_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."charging_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_deliveries" ADD CONSTRAINT "schedule_deliveries_session_id_charging_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."charging_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_deliveries" ADD CONSTRAINT "schedule_deliveries_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_delivery_attempts" ADD CONSTRAINT "schedule_delivery_attempts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_delivery_attempts" ADD CONSTRAINT "schedule_delivery_attempts_delivery_id_schedule_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."schedule_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_endpoints" ADD CONSTRAINT "schedule_endpoints_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_participants" ADD CONSTRAINT "grid_event_participants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_participants" ADD CONSTRAINT "grid_event_participants_event_id_grid_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."grid_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_participants" ADD CONSTRAINT "grid_event_participants_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_participants" ADD CONSTRAINT "grid_event_participants_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_status_reports" ADD CONSTRAINT "grid_event_status_reports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_status_reports" ADD CONSTRAINT "grid_event_status_reports_event_id_grid_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."grid_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_event_status_reports" ADD CONSTRAINT "grid_event_status_reports_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_events" ADD CONSTRAINT "grid_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_events_idempotency_idx" ON "charging_events" USING btree ("asset_id","event_type","occurred_at");--> statement-breakpoint
CREATE INDEX "charging_events_asset_occurred_idx" ON "charging_events" USING btree ("asset_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "charging_intents_asset_version_idx" ON "charging_intents" USING btree ("asset_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "charging_plans_session_version_idx" ON "charging_plans" USING btree ("session_id","version");--> statement-breakpoint
CREATE INDEX "charging_plans_asset_created_idx" ON "charging_plans" USING btree ("asset_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_open_idx" ON "charging_sessions" USING btree ("asset_id") WHERE "charging_sessions"."plugged_out_at" IS NULL;--> statement-breakpoint
CREATE INDEX "charging_sessions_asset_plugged_idx" ON "charging_sessions" USING btree ("asset_id","plugged_in_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "charging_sessions_org_open_idx" ON "charging_sessions" USING btree ("organisation_id") WHERE "charging_sessions"."plugged_out_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_tariffs_asset_version_idx" ON "charging_tariffs" USING btree ("asset_id","version");--> statement-breakpoint
CREATE INDEX "market_price_curves_org_market_idx" ON "market_price_curves" USING btree ("organisation_id","market","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "schedule_deliveries_due_idx" ON "schedule_deliveries" USING btree ("next_attempt_at") WHERE "schedule_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "schedule_deliveries_session_idx" ON "schedule_deliveries" USING btree ("session_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "schedule_delivery_attempts_delivery_idx" ON "schedule_delivery_attempts" USING btree ("delivery_id","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_event_participants_event_asset_idx" ON "grid_event_participants" USING btree ("event_id","asset_id");--> statement-breakpoint
CREATE INDEX "grid_event_participants_asset_idx" ON "grid_event_participants" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "grid_event_status_reports_event_idx" ON "grid_event_status_reports" USING btree ("event_id","received_at");--> statement-breakpoint
CREATE INDEX "grid_events_org_start_idx" ON "grid_events" USING btree ("organisation_id","start_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "grid_events_status_start_idx" ON "grid_events" USING btree ("status","start_at");