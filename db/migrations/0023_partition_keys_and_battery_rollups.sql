CREATE TABLE "battery_reading_rollups" (
	"organisation_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"reading_count" integer NOT NULL,
	"soc_pct_sum" double precision NOT NULL,
	"battery_power_kw_sum" double precision NOT NULL,
	"grid_power_kw_sum" double precision NOT NULL,
	"solar_power_kw_sum" double precision NOT NULL,
	"load_power_kw_sum" double precision NOT NULL,
	CONSTRAINT "battery_reading_rollups_asset_id_slot_start_pk" PRIMARY KEY("asset_id","slot_start")
);
--> statement-breakpoint
/* 
    Unfortunately in current drizzle-kit version we can't automatically get name for primary key.
    We are working on making it available!

    Meanwhile you can:
        1. Check pk name in your database, by running
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_schema = 'public'
                AND table_name = 'schedule_delivery_attempts'
                AND constraint_type = 'PRIMARY KEY';
        2. Uncomment code below and paste pk name manually
        
    Hope to release this update as soon as possible
*/

-- ALTER TABLE "schedule_delivery_attempts" DROP CONSTRAINT "<constraint_name>";--> statement-breakpoint
/* 
    Unfortunately in current drizzle-kit version we can't automatically get name for primary key.
    We are working on making it available!

    Meanwhile you can:
        1. Check pk name in your database, by running
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_schema = 'public'
                AND table_name = 'webhook_delivery_attempts'
                AND constraint_type = 'PRIMARY KEY';
        2. Uncomment code below and paste pk name manually
        
    Hope to release this update as soon as possible
*/

-- ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "<constraint_name>";--> statement-breakpoint
ALTER TABLE "schedule_delivery_attempts" ADD CONSTRAINT "schedule_delivery_attempts_id_attempted_at_pk" PRIMARY KEY("id","attempted_at");--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_id_attempted_at_pk" PRIMARY KEY("id","attempted_at");--> statement-breakpoint
ALTER TABLE "battery_reading_rollups" ADD CONSTRAINT "battery_reading_rollups_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_reading_rollups" ADD CONSTRAINT "battery_reading_rollups_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;