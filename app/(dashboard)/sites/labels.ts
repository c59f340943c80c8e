// How the inventory's codes read on screen.
export const ASSET_TYPE_LABELS: Record<string, string> = {
  battery: "Battery",
  charger: "EV charger",
  electric_vehicle: "Electric vehicle",
  heat_pump: "Heat pump",
  hot_water_tank: "Hot water tank",
  solar_pv: "Solar PV",
};

export const PROPOSITION_LABELS: Record<string, string> = {
  limited_pause: "Flex Lite",
  full_asset_schedule_control: "Smart Charging",
  vpp_limited_control: "Grid Event Mode",
  full_asset_control: "Fully Optimised",
};

export const assetTypeOptions = Object.entries(ASSET_TYPE_LABELS).map(([value, label]) => ({ value, label }));

export const eligibilityOptions = [
  { value: "any", label: "Eligible for any" },
  { value: "none", label: "Eligible for none" },
  ...Object.entries(PROPOSITION_LABELS).map(([value, label]) => ({ value, label: `Eligible: ${label}` })),
];

export const assetTypeLabel = (type: string) => ASSET_TYPE_LABELS[type] ?? type;
export const propositionLabel = (proposition: string) => PROPOSITION_LABELS[proposition] ?? proposition;
