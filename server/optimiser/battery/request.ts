// The plan-battery request: what `npm run cli -- plan-battery < request.json` reads and answers.
// Formats are documented in docs/battery-planner.md.
import { z } from "zod";
import { BatteryPlanError, planBatterySchedule, type BatteryPlan } from "./plan-battery-schedule";

const percent = z.number().min(0).max(100);
const isoInstant = z.iso.datetime({ offset: true });

export const batteryPlanSlotRequestSchema = z.strictObject({
  start: isoInstant,
  end: isoInstant,
  importPencePerKwh: z.number(),
  exportPencePerKwh: z.number(),
  loadKwh: z.number().min(0),
  solarKwh: z.number().min(0).optional(),
});

export const batterySpecRequestSchema = z
  .strictObject({
    capacityKwh: z.number().positive(),
    maxChargeKw: z.number().min(0),
    maxDischargeKw: z.number().min(0),
    roundTripEfficiency: z.number().gt(0).max(1),
    socMinPct: percent,
    socMaxPct: percent,
    dischargeFloorPct: percent,
    startSocPct: percent,
    exportLimitKw: z.number().min(0).optional(),
    importLimitKw: z.number().min(0).optional(),
    allowBatteryExport: z.boolean().optional(),
    endSocMinPct: percent.optional(),
  })
  .refine((battery) => battery.socMinPct <= battery.socMaxPct, { message: "socMinPct must not exceed socMaxPct", path: ["socMinPct"] })
  .refine((battery) => battery.dischargeFloorPct <= battery.socMaxPct, { message: "dischargeFloorPct must not exceed socMaxPct", path: ["dischargeFloorPct"] })
  .refine((battery) => battery.endSocMinPct === undefined || battery.endSocMinPct <= battery.socMaxPct, { message: "endSocMinPct must not exceed socMaxPct", path: ["endSocMinPct"] });

export const socTargetRequestSchema = z
  .strictObject({
    kind: z.enum(["min", "max"]),
    pct: percent,
    from: isoInstant,
    until: isoInstant,
    label: z.string().trim().min(1).max(200).optional(),
  })
  .refine((target) => Date.parse(target.from) <= Date.parse(target.until), { message: "from must not be after until", path: ["until"] });

export const planBatteryRequestSchema = z
  .strictObject({
    battery: batterySpecRequestSchema,
    slots: z.array(batteryPlanSlotRequestSchema).min(1).max(500),
    socTargets: z.array(socTargetRequestSchema).max(50).optional(),
  })
  .superRefine((request, context) => {
    request.slots.forEach((slot, index) => {
      if (Date.parse(slot.end) <= Date.parse(slot.start)) context.addIssue({ code: "custom", message: "slot must end after it starts", path: ["slots", index, "end"] });
      const previous = index > 0 ? request.slots[index - 1] : undefined;
      if (previous && Date.parse(slot.start) !== Date.parse(previous.end)) {
        context.addIssue({ code: "custom", message: "slot must start where the previous slot ends", path: ["slots", index, "start"] });
      }
    });
  });

export type PlanBatteryRequest = z.infer<typeof planBatteryRequestSchema>;

export interface PlanBatteryIssue {
  path: (string | number)[];
  message: string;
}

export type PlanBatteryResponse =
  | { ok: true; plan: BatteryPlan }
  | { ok: false; error: { code: "validation"; message: string; issues: PlanBatteryIssue[] } }
  | { ok: false; error: { code: "infeasible" | "solver_failed"; message: string } };

export async function runPlanBatteryRequest(json: unknown): Promise<PlanBatteryResponse> {
  const parsed = planBatteryRequestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: "validation",
        message: "The request does not match the plan-battery format",
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.map((key) => (typeof key === "number" ? key : String(key))), message: issue.message })),
      },
    };
  }
  try {
    const { socTargets, ...rest } = parsed.data;
    const targets = (socTargets ?? []).map((target) => ({ ...target, label: target.label ?? `${target.kind === "min" ? "at least" : "at most"} ${target.pct} % from ${target.from} to ${target.until}` }));
    return { ok: true, plan: await planBatterySchedule({ ...rest, socTargets: targets }) };
  } catch (error) {
    if (error instanceof BatteryPlanError) {
      if (error.code === "invalid_input") return { ok: false, error: { code: "validation", message: error.message, issues: [] } };
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    throw error;
  }
}
