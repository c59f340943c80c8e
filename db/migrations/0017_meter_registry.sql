CREATE TABLE "meter_registry_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"mpan" text NOT NULL,
	"address" text NOT NULL,
	"postcode" text NOT NULL,
	"half_hourly_settled" boolean NOT NULL,
	"supplier_mpid" text,
	"supplier_name" text,
	"eligible_markets" text[] NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meter_registry_entries" ADD CONSTRAINT "meter_registry_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meter_registry_org_mpan_idx" ON "meter_registry_entries" USING btree ("organisation_id","mpan");--> statement-breakpoint
CREATE INDEX "meter_registry_org_postcode_idx" ON "meter_registry_entries" USING btree ("organisation_id","postcode");