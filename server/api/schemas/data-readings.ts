import { z } from "zod";
import { MAX_READINGS_PER_REQUEST, READING_LABEL_DESCRIPTION, readingLabels } from "@/server/domain/readings";
import { isoDateTimeSchema, uuidSchema } from "./entities-common";

/** Reading labels (the closed list of server/domain/readings). Power is positive for import / charging and negative for export. */
export const readingLabelSchema = z.enum(readingLabels).meta({ id: "ReadingDataPointLabel", description: READING_LABEL_DESCRIPTION });

export const readingDataPointSchema = z
  .object({
    asset_id: uuidSchema,
    start_timestamp: isoDateTimeSchema,
    end_timestamp: isoDateTimeSchema,
    value: z.number().finite(),
    label: readingLabelSchema,
  })
  .meta({ id: "ReadingDataPoint", description: "One reading for one asset over one interval." });
export type ReadingDataPoint = z.output<typeof readingDataPointSchema>;

export const readingsRequestSchema = z
  .object({ readings: z.array(readingDataPointSchema).min(1).max(MAX_READINGS_PER_REQUEST) })
  .meta({ id: "ReadingsDataPoints", description: "A batch of readings; each is accepted or refused on its own." });
export type ReadingsRequest = z.output<typeof readingsRequestSchema>;

export const readingResultSchema = z
  .object({
    asset_id: uuidSchema,
    start_timestamp: isoDateTimeSchema,
    end_timestamp: isoDateTimeSchema,
    label: readingLabelSchema,
    accepted: z.boolean(),
    error: z.string().optional().describe("Why the reading was refused"),
  })
  .meta({ id: "ReadingResponse", description: "The outcome for one reading." });

export const readingsResponseSchema = z
  .object({ responses: z.array(readingResultSchema) })
  .meta({ id: "ReadingsResponse", description: "Outcomes in the order the readings were sent." });
export type ReadingsResponse = z.output<typeof readingsResponseSchema>;
