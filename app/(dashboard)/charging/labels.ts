// Words and tones for the charging pages.
import type { Tone } from "@/components/lib/tone";

export const CHARGING_REFRESH_MS = 15_000;

export const DELIVERY_TONE: Record<string, Tone> = { pending: "info", delivered: "success", superseded: "neutral", failed: "danger", cancelled: "neutral" };

export const TRIGGER_LABELS: Record<string, string> = {
  plug_in: "plug-in",
  intent: "intent change",
  tariff_update: "tariff change",
  prices: "new prices",
  charge_now: "charge now",
  charge_now_deleted: "charge now ended",
  periodic: "periodic re-plan",
  grid_event: "grid event",
  operator: "operator",
};

export const triggerLabel = (trigger: string) => TRIGGER_LABELS[trigger] ?? trigger.replace(/_/g, " ");

/** Where a charging event or intent came from, said as people would. */
const SOURCE_LABELS: Record<string, string> = {
  partner_api: "the partner's platform",
  householder_page: "the household's charging page",
  operator: "an operator",
  simulator: "the simulator",
  ocpp: "the charger itself (OCPP)",
};
export const sourceLabel = (source: string) => SOURCE_LABELS[source] ?? "another source";

const EVENT_LABELS: Record<string, string> = {
  plug_in: "Plugged in",
  plug_out: "Plugged out",
  intent: "Charging intent changed",
  intent_update: "Charging intent changed",
  tariff_update: "Tariff changed",
  charge_now: "Charge now requested",
  charge_now_deleted: "Charge now ended",
};
export const chargingEventLabel = (eventType: string) => EVENT_LABELS[eventType] ?? "Charging event";

export const SESSION_FILTERS = [
  { value: "all", label: "All sessions" },
  { value: "plugged_in", label: "Plugged in now" },
  { value: "flagged", label: "Flagged (kWh cannot be met)" },
] as const;

export type SessionFilterValue = (typeof SESSION_FILTERS)[number]["value"];
export const isSessionFilter = (value: string): value is SessionFilterValue => SESSION_FILTERS.some((f) => f.value === value);
