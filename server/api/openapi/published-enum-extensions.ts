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

/** The eligibility codes the published document lists; ours name every other reason too. */
const PUBLISHED_ELIGIBILITY_CODES: readonly string[] = [
  "asset_model_not_set",
  "asset_model_not_found",
  "asset_model_not_cop11_qualified",
  "asset_installation_date_not_set",
  "asset_model_enrol_eligibility_override",
  "non_domestic_site",
];

export const PUBLISHED_ENUM_EXTENSIONS: readonly EnumExtension[] = [
  { schema: "DispatchMethodResponse", values: ["full_asset_control"], why: "Fully Optimised Mode from the VPP battery guide." },
  { schema: "PropositionEligibility", property: "proposition", values: BATTERY_PROPOSITIONS, why: "Battery propositions from the VPP battery guide." },
  {
    schema: "EligibilityCode",
    values: ELIGIBILITY_ISSUE_CODES.filter((code) => !PUBLISHED_ELIGIBILITY_CODES.includes(code)),
    why: "Every reason a site or asset is not eligible, not only the published six.",
  },
];

/** Marks, on our own schemas, each value we add to a published enum and why (`x-extends-published-enum`). */
export function documentEnumExtensions(document: OpenApiDocument): OpenApiDocument {
  for (const extension of PUBLISHED_ENUM_EXTENSIONS) {
    const schema = document.components.schemas[extension.schema];
    if (schema === undefined) throw new Error(`Our document has no schema ${extension.schema} to mark as extending the published enum`);
    schema["x-extends-published-enum"] = { values: [...extension.values], why: extension.why };
  }
  return document;
}

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
