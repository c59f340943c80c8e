-- The reward ledger is money owed to households: append-only. Only payment_status (with the
-- payment run reference) may move, and only along the payment lifecycle; each move is also
-- recorded in reward_payment_events, which is itself append-only.
CREATE OR REPLACE FUNCTION guard_reward_entry_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward_entries is append-only';
  END IF;
  IF (to_jsonb(NEW) - 'payment_status' - 'payment_reference') IS DISTINCT FROM (to_jsonb(OLD) - 'payment_status' - 'payment_reference') THEN
    RAISE EXCEPTION 'reward_entries is append-only: only payment_status may change';
  END IF;
  IF NEW.payment_status IS DISTINCT FROM OLD.payment_status AND NOT (
    (OLD.payment_status = 'pending_approval' AND NEW.payment_status = 'approved') OR
    (OLD.payment_status = 'approved' AND NEW.payment_status = 'processing') OR
    (OLD.payment_status = 'processing' AND NEW.payment_status IN ('posted', 'failed')) OR
    (OLD.payment_status = 'failed' AND NEW.payment_status = 'approved')
  ) THEN
    RAISE EXCEPTION 'reward_entries: payment_status cannot move from % to %', OLD.payment_status, NEW.payment_status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER reward_entries_append_only
  BEFORE UPDATE OR DELETE ON reward_entries
  FOR EACH ROW EXECUTE FUNCTION guard_reward_entry_change();
--> statement-breakpoint
CREATE TRIGGER reward_payment_events_append_only
  BEFORE UPDATE OR DELETE ON reward_payment_events
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
