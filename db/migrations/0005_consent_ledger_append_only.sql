-- The consent ledger and the enrolment history are evidence: they are append-only.
CREATE OR REPLACE FUNCTION refuse_ledger_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER consent_records_append_only
  BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
--> statement-breakpoint
CREATE TRIGGER enrolment_events_append_only
  BEFORE UPDATE OR DELETE ON enrolment_events
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
