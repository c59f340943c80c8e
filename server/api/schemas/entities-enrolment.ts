// Consent, enrolment and onboarding bodies of the entities dialect.
import { z } from "zod";
import { assetResponseSchema, onboardingAssetRequestSchema } from "./entities-asset";
import { dispatchMethodSchema, isoDateTimeSchema, propositionSchema, uuidSchema } from "./entities-common";
import { initialiseAssetResultSchema, initialiseSiteResultSchema } from "./entities-initialise";
import { siteRequestSchema, siteResponseSchema } from "./entities-site";

export const siteMeterConsentRequestSchema = z
  .object({ gave_boundary_meter_consent_at: isoDateTimeSchema.describe("When the household agreed") })
  .meta({ id: "SiteMeterConsentRequest", description: "Records the household's boundary meter consent." });
export type SiteMeterConsentRequest = z.output<typeof siteMeterConsentRequestSchema>;

export const siteDispatchConsentRequestSchema = z
  .object({
    dispatch_methods: z
      .array(dispatchMethodSchema)
      .refine((methods) => new Set(methods).size === methods.length, "Each dispatch method may appear once")
      .describe("Methods to grant (dispatch-consent) or withdraw (dispatch-deconsent); may be empty"),
  })
  .meta({ id: "SiteDispatchConsentRequest", description: "Dispatch methods to grant or withdraw." });
export type SiteDispatchConsentRequest = z.output<typeof siteDispatchConsentRequestSchema>;

export const enrolRequestSchema = z
  .object({
    proposition: propositionSchema,
    override_withdrawal: z.boolean().default(false).describe("Re-enrol even though the household withdrew before"),
    gave_boundary_meter_consent_at: isoDateTimeSchema.optional().describe("Meter consent to record with the enrolment"),
  })
  .meta({ id: "EnrolRequest", description: "Enrol a site in a proposition." });
export type EnrolRequest = z.output<typeof enrolRequestSchema>;

export const enrolResponseSchema = z
  .object({ site_id: uuidSchema, status: z.enum(["enrolled", "already_enrolled"]) })
  .meta({ id: "EnrolResponse", description: "The enrolment outcome; both statuses mean the site is enrolled." });
export type EnrolResponse = z.output<typeof enrolResponseSchema>;

export const unenrolRequestSchema = z
  .object({ proposition: propositionSchema })
  .meta({ id: "UnenrolRequest", description: "Withdraw a site from one proposition; the site and its rewards stay." });
export type UnenrolRequest = z.output<typeof unenrolRequestSchema>;

export const unenrolResponseSchema = z
  .object({ site_id: uuidSchema, status: z.enum(["unenrolled", "already_unenrolled"]) })
  .meta({ id: "UnenrolResponse", description: "The unenrolment outcome." });
export type UnenrolResponse = z.output<typeof unenrolResponseSchema>;

export const onboardRequestSchema = z
  .object({
    site: siteRequestSchema,
    assets: z.array(onboardingAssetRequestSchema),
    proposition: propositionSchema,
    override_withdrawal: z.boolean().default(false),
  })
  .meta({ id: "OnboardRequest", description: "Initialise a site and enrol it in one all-or-nothing step." });
export type OnboardRequest = z.output<typeof onboardRequestSchema>;

export const onboardResponseSchema = z
  .object({
    site: initialiseSiteResultSchema,
    assets: z.array(initialiseAssetResultSchema),
    enrolment: enrolResponseSchema,
  })
  .meta({ id: "OnboardResponse", description: "The site and assets as stored, with the enrolment outcome." });
export type OnboardResponse = z.output<typeof onboardResponseSchema>;

/** The older single-asset call; the guide's battery example uses it with full_asset_control. */
export const onboardingRequestSchema = z
  .object({
    site: siteRequestSchema,
    asset: onboardingAssetRequestSchema,
    dispatch_consent: siteDispatchConsentRequestSchema,
  })
  .meta({ id: "OnboardingRequest", description: "Create a site and one asset and record dispatch consent (deprecated form)." });
export type OnboardingRequest = z.output<typeof onboardingRequestSchema>;

export const onboardingResponseSchema = z
  .object({ site: siteResponseSchema, asset: assetResponseSchema })
  .meta({ id: "OnboardingResponse", description: "The site and asset concerned." });
export type OnboardingResponse = z.output<typeof onboardingResponseSchema>;

export const siteAuthTokenRequestSchema = z
  .object({
    access_token: z.string().min(1).optional().describe("Access token or API key for the manufacturer cloud"),
    refresh_token: z.string().min(1).optional().describe("Needed unless token_type is API_KEY"),
    token_type: z.string().min(1).optional().describe("Bearer or API_KEY"),
    expires_utc: isoDateTimeSchema.optional(),
    expires_in: z.number().int().positive().optional().describe("Seconds until the token expires"),
  })
  .superRefine((token, ctx) => {
    if (token.access_token === undefined && token.refresh_token === undefined) {
      ctx.addIssue({ code: "custom", path: ["access_token"], message: "Send an access_token or a refresh_token" });
    }
    if (token.token_type?.toUpperCase() !== "API_KEY" && token.access_token !== undefined && token.refresh_token === undefined) {
      ctx.addIssue({ code: "custom", path: ["refresh_token"], message: "refresh_token is required unless token_type is API_KEY" });
    }
  })
  .meta({ id: "SiteAuthTokenRequest", description: "Credentials for the site's manufacturer cloud. Never returned." });
export type SiteAuthTokenRequest = z.output<typeof siteAuthTokenRequestSchema>;
