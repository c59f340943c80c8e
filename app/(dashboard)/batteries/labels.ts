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
