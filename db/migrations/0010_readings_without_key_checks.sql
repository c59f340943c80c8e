-- asset_readings drops its foreign keys: a key check per inserted row cost about 40% of a
-- readings batch. The ingest service only writes rows for assets it has locked FOR KEY SHARE in
-- the same transaction; this trigger keeps the cascade: an asset's readings go with the asset
-- (however the asset is deleted: directly or by a cascade).
ALTER TABLE "asset_readings" DROP CONSTRAINT "asset_readings_organisation_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "asset_readings" DROP CONSTRAINT "asset_readings_asset_id_assets_id_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION delete_readings_of_deleted_assets() RETURNS trigger AS $$
BEGIN
  DELETE FROM asset_readings r USING deleted_assets d WHERE r.asset_id = d.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER asset_readings_follow_assets
  AFTER DELETE ON assets
  REFERENCING OLD TABLE AS deleted_assets
  FOR EACH STATEMENT EXECUTE FUNCTION delete_readings_of_deleted_assets();
