// Wire shape of the Flex Lite plug-in-schedule event:
// request {charging_schedule: [{start_timestamp, end_timestamp}]},
// answer {modified_charging_schedule: [...]} in the same shape.
import { z } from "zod";
import { placeFlexLitePause, type PauseSlotValue } from "./place-pause";

const instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 instant with a zone" });

export const chargingScheduleBlockSchema = z
  .object({ start_timestamp: instant, end_timestamp: instant })
  .refine((block) => Date.parse(block.end_timestamp) > Date.parse(block.start_timestamp), {
    message: "end_timestamp must be after start_timestamp",
    path: ["end_timestamp"],
  });

export const plugInScheduleRequestSchema = z.object({
  charging_schedule: z.array(chargingScheduleBlockSchema).max(500),
});

export type PlugInScheduleRequest = z.output<typeof plugInScheduleRequestSchema>;

export interface PlugInScheduleAnswer {
  modified_charging_schedule: { start_timestamp: string; end_timestamp: string }[];
}

/** Answers a validated plug-in-schedule request (see placeFlexLitePause for the rules). */
export function answerPlugInSchedule(
  request: PlugInScheduleRequest,
  context: { slotValues: readonly PauseSlotValue[]; chargerKw: number; now: Date; pauseMinutes?: number },
): PlugInScheduleAnswer {
  const result = placeFlexLitePause({
    schedule: request.charging_schedule.map((block) => ({
      start: new Date(block.start_timestamp),
      end: new Date(block.end_timestamp),
    })),
    slotValues: context.slotValues,
    chargerKw: context.chargerKw,
    now: context.now,
    ...(context.pauseMinutes === undefined ? {} : { pauseMinutes: context.pauseMinutes }),
  });
  if (!result.changed)
    return { modified_charging_schedule: request.charging_schedule.map((block) => ({ ...block })) };
  return {
    modified_charging_schedule: result.schedule.map((block) => ({
      start_timestamp: block.start.toISOString(),
      end_timestamp: block.end.toISOString(),
    })),
  };
}
