// Shared wire pieces of the entities dialect: identifiers, pagination, errors and
// the normalising string schemas (MPAN, postcode) every site-bearing request uses.
import { z } from "zod";
import { normaliseMpan, normalisePostcode } from "@/server/domain/inventory";

/** Any 8-4-4-4-12 hex identifier; partners' UUIDs are not always RFC 4122 variants. */
export const uuidSchema = z.guid();

export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .describe("ISO 8601 timestamp with a time zone offset, e.g. 2026-01-01T12:34:56Z");
export const isoDateSchema = z.iso.date().describe("Calendar date, YYYY-MM-DD");
export const isoTimeSchema = z.iso.time().describe("Wall-clock time, HH:MM or HH:MM:SS");

/** Keeps an enum open: the listed values are documented, other strings still pass. */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string()]);
}

export const mpanInputSchema = z
  .string()
  .transform((value, ctx) => {
    const result = normaliseMpan(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message, params: { type: "mpan_invalid" } });
      return z.NEVER;
    }
    return result.mpan;
  })
  .describe("13-digit MPAN core; spaces are ignored. A failed check digit is accepted with a warning.");

export const postcodeInputSchema = z
  .string()
  .transform((value, ctx) => {
    const result = normalisePostcode(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message, params: { type: "postcode_invalid" } });
      return z.NEVER;
    }
    return result.postcode;
  })
  .describe("UK postcode in any case or spacing; stored as e.g. SW1A 1AA");

export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 5000;

export const paginationQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .describe("Page size, 1 to 5000"),
  offset: z.coerce.number().int().min(0).default(0).describe("Records to skip before the page starts"),
});
export type PaginationQuery = z.output<typeof paginationQuerySchema>;

/** Page numbers as the entities dialect reports them: 1-based, derived from offset and limit. */
export function pageFields(total: number, { limit, offset }: PaginationQuery) {
  return {
    total_num_pages: Math.ceil(total / limit),
    page_number: Math.floor(offset / limit) + 1,
  };
}

export const validationErrorSchema = z
  .object({
    loc: z.array(z.union([z.string(), z.number().int()])).describe("Where the problem is: body, query or path, then the field path"),
    msg: z.string().describe("What is wrong, for a person"),
    type: z.string().describe("What is wrong, for a program"),
  })
  .meta({ id: "ValidationError", description: "One problem found in a request." });
export type ValidationErrorItem = z.output<typeof validationErrorSchema>;

export const httpValidationErrorSchema = z
  .object({ detail: z.array(validationErrorSchema) })
  .meta({ id: "HTTPValidationError", description: "The request did not pass validation; every problem is listed." });
export type HttpValidationError = z.output<typeof httpValidationErrorSchema>;

export const errorWithDetailSchema = z
  .object({ detail: z.string() })
  .meta({ id: "ErrorWithDetail", description: "An error explained in one sentence." });
export type ErrorWithDetail = z.output<typeof errorWithDetailSchema>;

export const siteIdParamsSchema = z.object({ site_id: uuidSchema });
export const assetIdParamsSchema = z.object({ asset_id: uuidSchema });

/**
 * Drops null and undefined fields: the entities dialect leaves unknown fields out
 * rather than sending null, while the database returns nulls.
 */
export function omitNulls<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

export const PROPOSITIONS_ON_WIRE = [
  "limited_pause",
  "full_asset_schedule_control",
  "vpp_limited_control",
  "full_asset_control",
] as const;

/** Propositions a request may name; `full_asset_control` comes from the battery guide, not the spec. */
export const propositionSchema = z
  .enum(PROPOSITIONS_ON_WIRE)
  .meta({ id: "Proposition", description: "A flexibility proposition a site can enrol in." });

/** Dispatch methods a household can consent to. */
export const DISPATCH_METHODS = [
  "cm_infrequent_dispatch",
  "full_asset_schedule_control",
  "limited_pause",
  "vpp_limited_control",
  "full_asset_control",
] as const;
export const dispatchMethodSchema = z
  .enum(DISPATCH_METHODS)
  .meta({ id: "DispatchMethod", description: "A way the platform may dispatch a site's assets, given consent." });
export const dispatchMethodResponseSchema = openEnum(DISPATCH_METHODS).meta({
  id: "DispatchMethodResponse",
  description: "A dispatch method the site has consented to. New methods may appear.",
});

export const MARKETS = ["cm", "dfs", "dno", "lcm", "sffr", "wholesale"] as const;
export const marketSchema = openEnum(MARKETS).meta({ id: "MarketResponse", description: "A market the site takes part in." });
