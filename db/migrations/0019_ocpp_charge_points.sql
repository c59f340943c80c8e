CREATE SEQUENCE "public"."ocpp_transaction_ids" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "ocpp_charge_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"charge_point_id" text NOT NULL,
	"password_hash" text,
	"password_set_at" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"protocol" text,
	"vendor" text,
	"model" text,
	"firmware_version" text,
	"serial_number" text,
	"last_boot_at" timestamp with time zone,
	"last_heartbeat_at" timestamp with time zone,
	"connection_state" text DEFAULT 'never_connected' NOT NULL,
	"connected_at" timestamp with time zone,
	"disconnected_at" timestamp with time zone,
	"connector_status" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"current_transaction_id" text,
	"current_connector_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ocpp_commands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"charge_point_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"response" jsonb,
	"error" text,
	"session_id" uuid,
	"plan_id" uuid,
	"plan_version" integer,
	"applied_schedule" jsonb,
	"applied_matches_plan" boolean,
	"applied_comparison" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ocpp_connections" (
	"charge_point_id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"gateway_id" text NOT NULL,
	"protocol" text NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ocpp_gateways" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ocpp_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"charge_point_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"message_type" text NOT NULL,
	"action" text,
	"message_id" text,
	"payload" jsonb,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ocpp_charge_points" ADD CONSTRAINT "ocpp_charge_points_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_charge_points" ADD CONSTRAINT "ocpp_charge_points_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_commands" ADD CONSTRAINT "ocpp_commands_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_commands" ADD CONSTRAINT "ocpp_commands_charge_point_id_ocpp_charge_points_id_fk" FOREIGN KEY ("charge_point_id") REFERENCES "public"."ocpp_charge_points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_commands" ADD CONSTRAINT "ocpp_commands_session_id_charging_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."charging_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_commands" ADD CONSTRAINT "ocpp_commands_plan_id_charging_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."charging_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_connections" ADD CONSTRAINT "ocpp_connections_charge_point_id_ocpp_charge_points_id_fk" FOREIGN KEY ("charge_point_id") REFERENCES "public"."ocpp_charge_points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_connections" ADD CONSTRAINT "ocpp_connections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_connections" ADD CONSTRAINT "ocpp_connections_gateway_id_ocpp_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."ocpp_gateways"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_messages" ADD CONSTRAINT "ocpp_messages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_messages" ADD CONSTRAINT "ocpp_messages_charge_point_id_ocpp_charge_points_id_fk" FOREIGN KEY ("charge_point_id") REFERENCES "public"."ocpp_charge_points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ocpp_charge_points_identity_idx" ON "ocpp_charge_points" USING btree ("charge_point_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ocpp_charge_points_asset_idx" ON "ocpp_charge_points" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "ocpp_charge_points_org_idx" ON "ocpp_charge_points" USING btree ("organisation_id","charge_point_id");--> statement-breakpoint
CREATE INDEX "ocpp_commands_pending_idx" ON "ocpp_commands" USING btree ("charge_point_id","created_at") WHERE "ocpp_commands"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ocpp_commands_charge_point_idx" ON "ocpp_commands" USING btree ("charge_point_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ocpp_connections_gateway_idx" ON "ocpp_connections" USING btree ("gateway_id");--> statement-breakpoint
CREATE INDEX "ocpp_messages_charge_point_idx" ON "ocpp_messages" USING btree ("charge_point_id","id" DESC NULLS LAST);