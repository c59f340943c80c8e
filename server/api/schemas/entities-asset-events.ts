// Asset events (plug-in, plug-out, intent, tariff, charge-now) and the Flex Lite schedule.
import { z } from "zod";
import { isoDateTimeSchema, isoTimeSchema, openEnum } from "./entities-common";
import { TARIFF_TYPES } from "./entities-site";

export const CHARGING_MODES = ["maximise_charging_time", "minimise_charging_time"] as const;

/**
 * A wall-clock time as the published `time` format allows it: "08:15", "08:15:30", and the
 * RFC 3339 full-time with an offset ("08:15:30Z"), whose offset is ignored (it is a local wall time).
 */
const wallTimeSchema = z.union([isoTimeSchema, z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/i)]);

export const intentSchema = z
  .object({
    energy_required_kwh: z.number().min(0).max(500),
    ready_by: isoDateTimeSchema.describe("Deprecated: only its wall-clock time is used, when ready_by_local_time is absent"),
    ready_by_local_time: wallTimeSchema.optional().describe("Wall-clock time the energy is needed by; seconds are accepted and dropped"),
    energy_estimated: z.boolean().optional().describe("True when the kWh is the driver's own figure rather than derived from the car's target charge"),
    may_charge_peak: z.boolean().default(false).describe("Allow peak-rate charging once off-peak time is used up"),
    charging_mode: z.enum(CHARGING_MODES).default("maximise_charging_time"),
  })
  .meta({ id: "Intent", description: "How much energy the driver wants and by when." });
export type Intent = z.output<typeof intentSchema>;

export const vehicleEventSchema = z
  .object({ charging_rate_kw: z.number().gt(0).max(350) })
  .meta({ id: "EventVehicle", description: "The plugged-in vehicle." });

// Off-peak windows are opening_hours-style ranges without weekday selectors,
// e.g. "00:00-07:00" or "00:00-05:30, 23:30-24:00".
const OFF_PEAK_RANGE = /^(?:[01]\d|2[0-3]):[0-5]\d-(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const tariffSchema = z
  .object({
    off_peak_times: z
      .string()
      .refine(
        (value) => value.split(",").every((range) => OFF_PEAK_RANGE.test(range.trim())),
        "Use HH:MM-HH:MM ranges separated by commas, e.g. 00:00-05:30, 23:30-24:00",
      ),
    timezone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat("en-GB", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, "Unknown IANA time zone"),
    tariff_type: z.enum(TARIFF_TYPES).optional(),
  })
  .meta({ id: "Tariff", description: "The household's off-peak windows in local time." });
export type Tariff = z.output<typeof tariffSchema>;

export const ASSET_EVENT_TYPES = ["plug_in", "plug_out", "intent_update", "charge_now", "charge_now_deleted"] as const;

export const assetEventRequestSchema = z
  .object({
    event_type: z.enum(ASSET_EVENT_TYPES),
    intent: intentSchema.optional(),
    vehicle: vehicleEventSchema.optional(),
    tariff: tariffSchema.optional(),
    end_at: isoDateTimeSchema.optional().describe("For charge_now: when to stop"),
  })
  .meta({ id: "AssetEventRequest", description: "Any asset event in one body, selected by event_type." });
export type AssetEventRequest = z.output<typeof assetEventRequestSchema>;

export const plugInEventRequestSchema = z
  .object({ intent: intentSchema.optional(), vehicle: vehicleEventSchema.optional(), tariff: tariffSchema.optional() })
  .meta({ id: "PlugInEventRequest", description: "A vehicle was plugged in; intent, vehicle and tariff are optional." });
export const plugOutEventRequestSchema = z.object({}).meta({ id: "PlugOutEventRequest", description: "A vehicle was unplugged." });
export const intentEventRequestSchema = z.object({ intent: intentSchema }).meta({ id: "IntentEventRequest", description: "The driver changed their intent." });
export const chargeNowEventRequestSchema = z
  .object({ end_at: isoDateTimeSchema })
  .meta({ id: "ChargeNowEventRequest", description: "The driver asked to charge immediately until end_at." });
export const chargeNowDeletedEventRequestSchema = z
  .object({})
  .meta({ id: "ChargeNowDeletedEventRequest", description: "The driver cancelled charge-now." });
export const tariffUpdateEventRequestSchema = z
  .object({ tariff: tariffSchema })
  .meta({ id: "TariffUpdateEventRequest", description: "The household's tariff changed." });

export const chargingScheduleBlockSchema = z
  .object({ start_timestamp: isoDateTimeSchema, end_timestamp: isoDateTimeSchema })
  .refine((block) => Date.parse(block.start_timestamp) < Date.parse(block.end_timestamp), "start_timestamp must be before end_timestamp")
  .meta({ id: "ChargingScheduleBlock", description: "One window in which the charger may charge." });

export const plugInScheduleEventRequestSchema = z
  .object({ charging_schedule: z.array(chargingScheduleBlockSchema).min(1) })
  .meta({ id: "PlugInScheduleEventRequest", description: "The charger's intended schedule, to be returned with a pause inserted." });
export const plugInScheduleEventResponseSchema = z
  .object({ modified_charging_schedule: z.array(chargingScheduleBlockSchema) })
  .meta({ id: "PlugInScheduleEventResponse", description: "The schedule to follow." });

export const intentResponseSchema = z
  .object({ intent: intentSchema, received_at: isoDateTimeSchema })
  .meta({ id: "IntentResponse", description: "The latest intent and when it arrived." });

export const EVENT_STATUSES = ["RECEIVED", "ACCEPTED", "REJECTED", "FAILED", "EXECUTED"] as const;
export const eventStatusReportSchema = z
  .object({ timestamp: isoDateTimeSchema, status: z.enum(EVENT_STATUSES) })
  .meta({ id: "EventResponse", description: "A partner's report on handling a dispatch event." });

export const BATTERY_SCHEDULE_ACTIONS = ["charge_max", "discharge_max", "avoid_export", "avoid_import"] as const;
export const batteryScheduleResponseSchema = z
  .object({
    schedule_steps: z.array(
      z.object({
        start_timestamp: isoDateTimeSchema,
        end_timestamp: isoDateTimeSchema,
        action: openEnum(BATTERY_SCHEDULE_ACTIONS),
        allow_deviation: z.boolean(),
      }),
    ),
    schedule_last_updated: isoDateTimeSchema,
  })
  .meta({ id: "BatteryScheduleResponse", description: "The battery's active schedule." });
