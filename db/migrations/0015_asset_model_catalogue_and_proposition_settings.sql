CREATE TABLE "proposition_settings" (
	"organisation_id" uuid NOT NULL,
	"proposition" text NOT NULL,
	"requires_half_hourly_settlement" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposition_settings_organisation_id_proposition_pk" PRIMARY KEY("organisation_id","proposition")
);
--> statement-breakpoint
DROP INDEX "asset_models_org_name_idx";--> statement-breakpoint
ALTER TABLE "asset_models" ALTER COLUMN "organisation_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "asset_models" ADD COLUMN "oem" text;--> statement-breakpoint
ALTER TABLE "asset_models" ADD COLUMN "asset_type" "asset_type";--> statement-breakpoint
ALTER TABLE "asset_models" ADD COLUMN "smart_charge_regulation_compliant" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "asset_models" ADD COLUMN "rated_power_kw" double precision;--> statement-breakpoint
ALTER TABLE "asset_models" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "api_clients" ADD COLUMN "oem" text;--> statement-breakpoint
ALTER TABLE "proposition_settings" ADD CONSTRAINT "proposition_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "asset_models_global_name_idx" ON "asset_models" USING btree (lower("name")) WHERE "asset_models"."organisation_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "asset_models_org_name_idx" ON "asset_models" USING btree ("organisation_id",lower("name")) WHERE "asset_models"."organisation_id" is not null;