// Words the grid event pages share.
export const LIVE_REFRESH_MS = 5000;

export const DIRECTION_LABELS: Record<string, string> = { turn_down: "Turn-down", turn_up: "Turn-up" };
export const PROPOSITION_LABELS: Record<string, string> = {
  vpp_limited_control: "Grid Event Mode (batteries)",
  full_asset_control: "Fully Optimised (batteries)",
  full_asset_schedule_control: "Smart Charging (chargers)",
};
export const CONTROL_LABELS: Record<string, string> = { oem_action: "OEM command", partner_webhook: "Partner webhook", charging_replan: "Charging re-plan" };
export const EXCLUSION_LABELS: Record<string, string> = {
  no_consent: "No dispatch consent",
  not_enrolled: "Not enrolled",
  offline: "Offline (no fresh reading)",
  insufficient_energy: "At or near its discharge floor",
  battery_full: "Battery full",
  no_flexibility: "No flexibility in the window",
  not_plugged_in: "Not plugged in",
  not_controllable: "No OEM credential and no partner webhook",
  credential_unusable: "OEM credential rejected or expired",
  missing_properties: "Power or capacity unknown",
};

/** Why a participant counts as failed. */
export const FAILURE_LABELS: Record<string, string> = {
  failed: "Did not confirm the command in time",
  rejected: "Refused the command",
  restore_failed: "Could not be returned to its normal mode afterwards",
};

/** The UTC instant of a Europe/London wall time ("2026-01-14", "17:30"). */
export function londonWallTimeToUtc(date: string, time: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match || !clock) return null;
  const guess = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(clock[1]), Number(clock[2]));
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute")) - ms;
  };
  return new Date(guess - offsetAt(guess - offsetAt(guess)));
}
