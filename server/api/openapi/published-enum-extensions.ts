// Where our entities answers go beyond the published document's closed enums: the battery
// propositions of the VPP guide (absent from the spec's enums) and our finer eligibility codes.
// Our own document says so on each schema it extends; the conformance suite reads the published
// document with exactly these values added, so any other deviation still fails.
import { BATTERY_PROPOSITIONS, ELIGIBILITY_ISSUE_CODES } from "@/server/domain/inventory/eligibility";
import type { JsonSchema, OpenApiDocument } from "./build-document";

export interface EnumExtension {
  /** Component schema in the published document. */
  schema: string;
  /** Property of that schema holding the enum; the schema itself when absent. */
  property?: string;
  values: readonly string[];
  why: string;
}

export const PUBLISHED_ENUM_EXTENSIONS: readonly EnumExtension[] = [
  { schema: "DispatchMethodResponse", values: ["full_asset_control"], why: "Fully Optimised Mode from the VPP battery guide." },
  { schema: "PropositionEligibility", property: "proposition", values: BATTERY_PROPOSITIONS, why: "Battery propositions from the VPP battery guide." },
  { schema: "EligibilityCode", values: ELIGIBILITY_ISSUE_CODES, why: "Every reason a site or asset is not eligible, not only the published six." },
];

/** A copy of `document` whose enums also allow the extensions above. */
export function withPublishedEnumExtensions(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  for (const extension of PUBLISHED_ENUM_EXTENSIONS) {
    const schema = copy.components.schemas[extension.schema];
    const holder = extension.property === undefined ? schema : (schema?.properties as Record<string, JsonSchema> | undefined)?.[extension.property];
    const values = holder?.enum;
    if (holder === undefined || !Array.isArray(values)) throw new Error(`The published document has no enum at ${extension.schema}${extension.property ? `.${extension.property}` : ""}`);
    holder.enum = [...new Set([...(values as string[]), ...extension.values])];
  }
  return copy;
}
