// Versioned consent texts. The ledger stores the version agreed to, so a text is never
// edited in place: a change is a new version and the old one stays here for evidence.
export interface ConsentText {
  version: string;
  kind: string;
  title: string;
  /** Plain language: what the operator may do with the household's equipment. */
  body: string;
}

const texts: ConsentText[] = [
  {
    version: "boundary_meter.v1",
    kind: "boundary_meter",
    title: "Use of your electricity meter readings",
    body: "We may read the half-hourly data from your household electricity meter to check how much energy your battery or charger moved when we asked it to. We do not use it for anything else.",
  },
  {
    version: "limited_pause.v1",
    kind: "limited_pause",
    title: "Short charging pauses (Flex Lite)",
    body: "We may pause your car charger for short periods, at most a few times a month, when the electricity grid is under strain. Your car will still be charged by the time you asked for.",
  },
  {
    version: "full_asset_schedule_control.v1",
    kind: "full_asset_schedule_control",
    title: "Smart charging schedule",
    body: "We may choose when your charger runs each night, so your car charges when electricity is cheapest and cleanest, while still reaching the charge level you set by your departure time.",
  },
  {
    version: "vpp_limited_control.v1",
    kind: "vpp_limited_control",
    title: "Occasional battery events",
    body: "We may occasionally ask your home battery to charge or discharge for a short time to help balance the grid. Your battery keeps a reserve for your home and you are rewarded for each event.",
  },
  {
    version: "full_asset_control.v1",
    kind: "full_asset_control",
    title: "Full battery optimisation",
    body: "We may control when your home battery charges and discharges every day, trading in electricity markets on your behalf. The battery always keeps the reserve you choose for your home.",
  },
  {
    version: "cm_infrequent_dispatch.v1",
    kind: "cm_infrequent_dispatch",
    title: "Capacity Market emergency events",
    body: "In rare grid emergencies (a few times a year at most) we may ask your battery or charger to reduce the power your home draws from the grid for up to a few hours.",
  },
];

/** The text currently shown for a consent kind; unknown kinds get a generic text. */
export function currentConsentText(kind: string): ConsentText {
  const found = [...texts].reverse().find((text) => text.kind === kind);
  return (
    found ?? {
      version: `${kind}.generic.v1`,
      kind,
      title: kind.replaceAll("_", " "),
      body: `We may control your equipment under the "${kind.replaceAll("_", " ")}" arrangement your energy provider described to you.`,
    }
  );
}

export function consentTextByVersion(version: string): ConsentText | undefined {
  return texts.find((text) => text.version === version);
}
