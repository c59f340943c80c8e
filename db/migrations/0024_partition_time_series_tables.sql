-- Time-series tables become range-partitioned by time (docs/partitions.md):
--   battery_readings (observed_at, daily), asset_readings (start_at, daily),
--   schedule_delivery_attempts and webhook_delivery_attempts (attempted_at, monthly),
--   battery_reading_rollups (slot_start, monthly), the half-hourly rollup kept by triggers below.
-- Each keeps its name, columns, defaults, keys, indexes, foreign keys and triggers; every row is
-- copied. Later partitions are created ahead, and old ones dropped, by the partitions.maintain job,
-- through create_time_partition() below.

-- One partition of a time-partitioned table: <parent>_pYYYYMMDD (a day) or <parent>_pYYYYMM (a month).
-- Rows that arrived before it existed wait in <parent>_default and are moved in. Built standalone and
-- then attached, so the parent is never locked against readers and writers for long.
CREATE OR REPLACE FUNCTION create_time_partition(parent text, from_ts timestamptz, to_ts timestamptz) RETURNS text AS $$
DECLARE
  part text := parent || '_p' || to_char(from_ts AT TIME ZONE 'UTC', CASE WHEN to_ts - from_ts < interval '2 days' THEN 'YYYYMMDD' ELSE 'YYYYMM' END);
  key text;
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT a.attname INTO STRICT key
    FROM pg_partitioned_table pt JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
    WHERE pt.partrelid = parent::regclass;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING STORAGE)', part, parent);
  IF to_regclass(quote_ident(parent || '_default')) IS NOT NULL THEN
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
      parent || '_default', key, key, part) USING from_ts, to_ts;
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, from_ts, to_ts);
  RETURN part;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- Converts a plain table into one partitioned by range on `key` in steps of a day or a month, with a
-- default partition for rows outside every range: partitions cover the existing rows and `ahead` further
-- steps from today; constraints, indexes and triggers are recreated under their own names after the copy
-- (building indexes once over the copied rows is faster than maintaining them row by row).
CREATE OR REPLACE FUNCTION convert_to_time_partitions(tbl text, key text, step interval, ahead int) RETURNS void AS $$
DECLARE
  unit text := CASE WHEN step = interval '1 day' THEN 'day' WHEN step = interval '1 month' THEN 'month' END;
  old text := tbl || '_unpartitioned';
  definitions text[];
  sequences text[];
  owners text[];
  lo timestamptz;
  hi timestamptz;
  p timestamptz;
  statement text;
  copied bigint;
  before_count bigint;
BEGIN
  IF unit IS NULL THEN
    RAISE EXCEPTION 'step must be 1 day or 1 month, not %', step;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = tbl::regclass) THEN
    RAISE EXCEPTION '% is referenced by foreign keys, which this conversion does not recreate', tbl;
  END IF;
  -- Definitions as they read now (naming this table), replayed on the partitioned table.
  SELECT coalesce(array_agg(d ORDER BY o), '{}') INTO definitions FROM (
    SELECT 1 AS o, format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, conname, pg_get_constraintdef(oid)) AS d
      FROM pg_constraint WHERE conrelid = tbl::regclass AND contype IN ('p', 'u', 'c')
    UNION ALL
    SELECT 2, pg_get_indexdef(indexrelid)
      FROM pg_index i WHERE indrelid = tbl::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    UNION ALL
    SELECT 3, format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE conrelid = tbl::regclass AND contype = 'f'
    UNION ALL
    SELECT 4, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = tbl::regclass AND NOT tgisinternal
  ) defs;
  SELECT coalesce(array_agg(s), '{}'), coalesce(array_agg(format('ALTER SEQUENCE %s OWNED BY %I.%I', s, tbl, attname)), '{}') INTO sequences, owners FROM (
    SELECT pg_get_serial_sequence(quote_ident(tbl), attname) AS s, attname
      FROM pg_attribute WHERE attrelid = tbl::regclass AND attnum > 0 AND NOT attisdropped
  ) seqs WHERE s IS NOT NULL;

  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (%I)', tbl, old, key);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);

  EXECUTE format('SELECT min(%I), max(%I), count(*) FROM %I', key, key, old) INTO lo, hi, before_count;
  p := date_trunc(unit, least(coalesce(lo, now()), now()), 'UTC');
  WHILE p <= greatest(coalesce(hi, now()), now() + step * ahead) LOOP
    PERFORM create_time_partition(tbl, p, (p AT TIME ZONE 'UTC' + step) AT TIME ZONE 'UTC');
    p := (p AT TIME ZONE 'UTC' + step) AT TIME ZONE 'UTC';
  END LOOP;

  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
  GET DIAGNOSTICS copied = ROW_COUNT;
  IF copied <> before_count THEN
    RAISE EXCEPTION 'copied % of % rows of %', copied, before_count, tbl;
  END IF;

  -- A serial column's sequence belongs to the old table: hand it over before dropping that table.
  FOREACH statement IN ARRAY sequences LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNED BY NONE', statement);
  END LOOP;
  EXECUTE format('DROP TABLE %I', old);
  FOREACH statement IN ARRAY owners LOOP
    EXECUTE statement;
  END LOOP;
  FOREACH statement IN ARRAY definitions LOOP
    EXECUTE statement;
  END LOOP;
  EXECUTE format('ANALYZE %I', tbl);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- Telemetry: about 288 rows a day per battery (5-minute polls), so 288 million a day at a million
-- batteries: daily partitions keep each one's indexes in memory and let retention drop a day at a time.
SELECT convert_to_time_partitions('battery_readings', 'observed_at', interval '1 day', 7);
--> statement-breakpoint
-- Partner readings: 48 a day per asset and label, about 480 million a day at a million assets: daily.
SELECT convert_to_time_partitions('asset_readings', 'start_at', interval '1 day', 7);
--> statement-breakpoint
-- Delivery logs: a few rows per schedule push or webhook, thousands a day: monthly is plenty.
SELECT convert_to_time_partitions('schedule_delivery_attempts', 'attempted_at', interval '1 month', 2);
--> statement-breakpoint
SELECT convert_to_time_partitions('webhook_delivery_attempts', 'attempted_at', interval '1 month', 2);
--> statement-breakpoint

-- The half-hourly rollup is kept by statement triggers, in the same transaction as the readings and
-- whatever writes them. Sums and counts, so concurrent writers only ever add (no read-modify-write);
-- rows are upserted in key order so concurrent batches lock shared rollup rows in the same order.
CREATE OR REPLACE FUNCTION roll_up_inserted_battery_readings() RETURNS trigger AS $$
BEGIN
  INSERT INTO battery_reading_rollups AS r
    (organisation_id, asset_id, slot_start, reading_count, soc_pct_sum, battery_power_kw_sum, grid_power_kw_sum, solar_power_kw_sum, load_power_kw_sum)
  SELECT organisation_id, asset_id, date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z'),
         count(*), sum(soc_pct), sum(battery_power_kw), sum(grid_power_kw), sum(solar_power_kw), sum(load_power_kw)
    FROM new_readings GROUP BY 1, 2, 3 ORDER BY 2, 3
  ON CONFLICT (asset_id, slot_start) DO UPDATE SET
    reading_count = r.reading_count + excluded.reading_count,
    soc_pct_sum = r.soc_pct_sum + excluded.soc_pct_sum,
    battery_power_kw_sum = r.battery_power_kw_sum + excluded.battery_power_kw_sum,
    grid_power_kw_sum = r.grid_power_kw_sum + excluded.grid_power_kw_sum,
    solar_power_kw_sum = r.solar_power_kw_sum + excluded.solar_power_kw_sum,
    load_power_kw_sum = r.load_power_kw_sum + excluded.load_power_kw_sum;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- A re-polled observation (INSERT … ON CONFLICT DO UPDATE) replaces its values: add the difference.
CREATE OR REPLACE FUNCTION roll_up_updated_battery_readings() RETURNS trigger AS $$
BEGIN
  INSERT INTO battery_reading_rollups AS r
    (organisation_id, asset_id, slot_start, reading_count, soc_pct_sum, battery_power_kw_sum, grid_power_kw_sum, solar_power_kw_sum, load_power_kw_sum)
  SELECT organisation_id, asset_id, date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z'),
         sum(n)::int, sum(soc_pct), sum(battery_power_kw), sum(grid_power_kw), sum(solar_power_kw), sum(load_power_kw)
    FROM (
      SELECT organisation_id, asset_id, observed_at, 1 AS n, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw FROM new_readings
      UNION ALL
      SELECT organisation_id, asset_id, observed_at, -1, -soc_pct, -battery_power_kw, -grid_power_kw, -solar_power_kw, -load_power_kw FROM old_readings
    ) change
    GROUP BY 1, 2, 3 ORDER BY 2, 3
  ON CONFLICT (asset_id, slot_start) DO UPDATE SET
    reading_count = r.reading_count + excluded.reading_count,
    soc_pct_sum = r.soc_pct_sum + excluded.soc_pct_sum,
    battery_power_kw_sum = r.battery_power_kw_sum + excluded.battery_power_kw_sum,
    grid_power_kw_sum = r.grid_power_kw_sum + excluded.grid_power_kw_sum,
    solar_power_kw_sum = r.solar_power_kw_sum + excluded.solar_power_kw_sum,
    load_power_kw_sum = r.load_power_kw_sum + excluded.load_power_kw_sum;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER battery_readings_roll_up_inserts
  AFTER INSERT ON battery_readings
  REFERENCING NEW TABLE AS new_readings
  FOR EACH STATEMENT EXECUTE FUNCTION roll_up_inserted_battery_readings();
--> statement-breakpoint
CREATE TRIGGER battery_readings_roll_up_updates
  AFTER UPDATE ON battery_readings
  REFERENCING OLD TABLE AS old_readings NEW TABLE AS new_readings
  FOR EACH STATEMENT EXECUTE FUNCTION roll_up_updated_battery_readings();
--> statement-breakpoint

-- The rollup of the telemetry already stored, then the rollup table itself partitioned over it.
INSERT INTO battery_reading_rollups
  (organisation_id, asset_id, slot_start, reading_count, soc_pct_sum, battery_power_kw_sum, grid_power_kw_sum, solar_power_kw_sum, load_power_kw_sum)
SELECT organisation_id, asset_id, date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z'),
       count(*), sum(soc_pct), sum(battery_power_kw), sum(grid_power_kw), sum(solar_power_kw), sum(load_power_kw)
  FROM battery_readings GROUP BY 1, 2, 3;
--> statement-breakpoint
-- 48 rows a day per battery (48 million a day at a million batteries), kept for years: monthly.
SELECT convert_to_time_partitions('battery_reading_rollups', 'slot_start', interval '1 month', 2);
