// The proposition catalogue: what each proposition controls and which consents it needs.
// Eligibility rules themselves live in server/domain/inventory/eligibility.ts.
import { PROPOSITIONS, type Proposition } from "@/server/domain/inventory";

export interface PropositionRules {
  proposition: Proposition;
  name: string;
  assetTypes: readonly ("battery" | "charger")[];
  /** Consents needed before anything may be dispatched under it. */
  requiredConsents: readonly string[];
}

export const PROPOSITION_RULES: Readonly<Record<Proposition, PropositionRules>> = {
  limited_pause: { proposition: "limited_pause", name: "Flex Lite", assetTypes: ["charger"], requiredConsents: ["limited_pause"] },
  full_asset_schedule_control: {
    proposition: "full_asset_schedule_control",
    name: "Smart Charging",
    assetTypes: ["charger"],
    requiredConsents: ["full_asset_schedule_control"],
  },
  vpp_limited_control: {
    proposition: "vpp_limited_control",
    name: "Grid Event Mode",
    assetTypes: ["battery"],
    requiredConsents: ["boundary_meter", "vpp_limited_control"],
  },
  full_asset_control: {
    proposition: "full_asset_control",
    name: "Fully Optimised",
    assetTypes: ["battery"],
    requiredConsents: ["boundary_meter", "full_asset_control"],
  },
};

export const ALL_PROPOSITIONS: readonly Proposition[] = PROPOSITIONS;
