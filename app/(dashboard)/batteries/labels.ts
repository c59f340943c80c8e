export const OEM_LABELS: Record<string, string> = { foxess: "FoxESS", givenergy: "GivEnergy", solis: "SolisCloud", sigenergy: "Sigenergy" };
export const MODE_LABELS: Record<string, string> = {
  SELF_RELIANCE: "Self reliance",
  TIME_OF_USE: "Time of use",
  IMPORT_FOCUS: "Import focus",
  EXPORT_FOCUS: "Export focus",
};
export const oemLabel = (oem: string | null) => (oem ? (OEM_LABELS[oem] ?? oem) : "—");
export const modeLabel = (mode: string | null) => (mode ? (MODE_LABELS[mode] ?? mode) : "—");
/** How often the live pages refetch. */
export const LIVE_REFRESH_MS = 5000;

/** How a battery's connection reads to people, and the tone it is shown in. */
export const CONNECTION_LABELS: Record<string, { label: string; tone: "success" | "warning" | "neutral" }> = {
  online: { label: "Online", tone: "success" },
  stale: { label: "Stale", tone: "warning" },
  no_credential: { label: "No credential", tone: "neutral" },
};
export const connectionOf = (connection: string) => CONNECTION_LABELS[connection] ?? { label: connection, tone: "neutral" as const };
/** The batteries that are not online, in words ("2 stale, 1 without a credential"); empty when every one is. */
export const notOnlineSummary = (counts: { stale: number; noCredential: number }) =>
  [counts.stale > 0 ? `${counts.stale} stale` : "", counts.noCredential > 0 ? `${counts.noCredential} without a credential` : ""].filter(Boolean).join(", ");

/** Why the planner skipped a battery, in words with the next step (the service reports codes such as missing_prices:48). */
export function scheduleSkipReason(reason: string): string {
  const [code, count] = reason.split(":");
  switch (code) {
    case "missing_prices":
      return `${count ?? "Some"} half hours of the day have no market price. Upload the day's prices on the market prices page, or check the market chosen in the reward settings.`;
    case "missing_capacity_or_power":
      return "The battery's capacity or power is not recorded. Add them on the asset page.";
    case "day_over":
      return "That day is already over.";
    default:
      return code?.startsWith("planner_") ? "The planner could not find a feasible plan for this battery's limits. Check its floor and capacity." : "The battery could not be planned.";
  }
}

/** What happened at a schedule slot boundary, in words. */
export const SLOT_OUTCOME_LABELS: Record<string, string> = { created: "mode change sent", unchanged: "mode unchanged", skipped: "not sent", claimed: "in progress" };
/** What caused a schedule version. */
export const SCHEDULE_TRIGGER_LABELS: Record<string, string> = { daily: "daily plan", prices: "new prices", operator: "planned by an operator" };
