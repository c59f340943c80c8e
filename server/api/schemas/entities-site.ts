import { z } from "zod";
import {
  dispatchMethodResponseSchema,
  isoDateTimeSchema,
  isoTimeSchema,
  marketSchema,
  mpanInputSchema,
  openEnum,
  paginationQuerySchema,
  postcodeInputSchema,
  uuidSchema,
} from "./entities-common";

export const DEFAULT_SITE_TIME_ZONE = "Europe/London";

const timeZoneSchema = z
  .string()
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown IANA time zone")
  .describe("IANA time zone for the site's wall-clock times (extension; default Europe/London)");

export const TARIFF_TYPES = ["single_rate", "dual_rate", "dynamic", "smart", "unknown"] as const;
export const tariffTypeSchema = z.enum(TARIFF_TYPES).meta({ id: "TariffType", description: "Shape of the household's tariff." });
const tariffTypeResponseSchema = openEnum(TARIFF_TYPES);

export const tariffRequestSchema = z
  .object({
    tariff_cheap_start_time: isoTimeSchema.optional().describe("Local time the cheap rate starts"),
    tariff_cheap_end_time: isoTimeSchema.optional().describe("Local time the cheap rate ends"),
    tariff_type: tariffTypeSchema,
  })
  .meta({ id: "TariffRequest", description: "The site's tariff." });
export type TariffRequest = z.output<typeof tariffRequestSchema>;

export const tariffResponseSchema = z
  .object({
    tariff_type: tariffTypeResponseSchema.optional(),
    tariff_cheap_start_time: isoTimeSchema.optional(),
    tariff_cheap_end_time: isoTimeSchema.optional(),
  })
  .meta({ id: "TariffResponse", description: "The site's tariff as stored." });
export type TariffResponse = z.output<typeof tariffResponseSchema>;

export const siteRequestSchema = z
  .object({
    mpan: mpanInputSchema,
    postcode: postcodeInputSchema,
    street_address: z.string().trim().min(1).max(500).optional().describe("First line(s) of the address"),
    email: z.email().optional().describe("Household contact address, used for notices and withdrawal checks"),
    gave_boundary_meter_consent_at: isoDateTimeSchema
      .optional()
      .describe("When the household agreed to its boundary meter readings being used, if it has"),
    is_half_hourly_settled: z.boolean().optional().describe("Whether the meter is settled half-hourly, if known (extension)"),
    time_zone: timeZoneSchema.optional(),
  })
  .meta({ id: "SiteRequest", description: "A household site, identified by its MPAN." });
export type SiteRequest = z.output<typeof siteRequestSchema>;

export const siteUpdateRequestSchema = z
  .object({
    tariff: tariffRequestSchema.optional(),
    address: z.string().trim().min(1).max(500).optional().describe("Street address"),
    postcode: postcodeInputSchema.optional(),
    mpan: mpanInputSchema.optional(),
    email: z.email().optional(),
    is_half_hourly_settled: z.boolean().optional(),
    time_zone: timeZoneSchema.optional(),
  })
  .meta({ id: "SiteUpdateRequest", description: "Fields to change on a site; absent fields are left alone." });
export type SiteUpdateRequest = z.output<typeof siteUpdateRequestSchema>;

export const SITE_STATUSES = ["active", "offboarded"] as const;

export const siteResponseSchema = z
  .object({
    id: uuidSchema.describe("Platform id of the site"),
    mpan: z.string().optional(),
    postcode: z.string().optional(),
    address: z.string().optional(),
    asset_ids: z.array(uuidSchema).optional(),
    markets: z.array(marketSchema).optional(),
    dispatch_methods: z.array(dispatchMethodResponseSchema).optional(),
    tariff: tariffResponseSchema.optional(),
    gave_boundary_meter_consent_at: isoDateTimeSchema.optional(),
    email: z.string().optional(),
    is_half_hourly_settled: z.boolean().optional(),
    time_zone: z.string().optional(),
    status: openEnum(SITE_STATUSES).optional(),
  })
  .meta({ id: "SiteResponse", description: "A site as stored." });
export type SiteResponse = z.output<typeof siteResponseSchema>;

export const siteResponsePageSchema = z
  .object({
    sites: z.array(siteResponseSchema),
    total_num_sites: z.number().int().min(0),
    total_num_pages: z.number().int().min(0),
    page_number: z.number().int().min(1).describe("1-based"),
  })
  .meta({ id: "SiteResponsePage", description: "One page of sites." });
export type SiteResponsePage = z.output<typeof siteResponsePageSchema>;

export const siteListQuerySchema = paginationQuerySchema.extend({
  mpan: mpanInputSchema.optional().describe("Only sites with this MPAN"),
  postcode: postcodeInputSchema.optional().describe("Only sites with this postcode"),
});
export type SiteListQuery = z.output<typeof siteListQuerySchema>;
