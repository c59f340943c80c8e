import { z } from "zod";

export const mpanValidationRequestSchema = z
  .object({ mpan: z.string().describe("MPAN to check; spaces are ignored") })
  .meta({ id: "MPANValidationRequest", description: "An MPAN to check." });
export type MpanValidationRequest = z.output<typeof mpanValidationRequestSchema>;

export const mpanValidationResponseSchema = z
  .object({ isValid: z.boolean().describe("True when the MPAN is well formed and its check digit holds") })
  .meta({ id: "MPANValidationResponse", description: "The MPAN passed the checks." });
export type MpanValidationResponse = z.output<typeof mpanValidationResponseSchema>;

export const mpanValidationErrorSchema = z
  .object({ detail: z.array(z.string()).describe("Each reason the MPAN was refused") })
  .meta({ id: "MPANValidationError", description: "Why an MPAN was refused." });
export type MpanValidationError = z.output<typeof mpanValidationErrorSchema>;
