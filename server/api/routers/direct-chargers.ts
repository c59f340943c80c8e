// Direct charge points (OCPP-J): register a charger, set or rotate its password (answered once),
// enable or disable it, and see its state, message log, commands and the last plan against what the
// charger applies. See docs/ocpp.md.
import { z } from "zod";
import {
  CHARGE_POINT_ID_PATTERN,
  CHARGE_POINT_PASSWORD_MAX,
  CHARGE_POINT_PASSWORD_MIN,
  getChargePoint,
  listChargePointCommands,
  listChargePoints,
  registerChargePoint,
  setChargePointEnabled,
  setChargePointPassword,
} from "@/server/services/ocpp/charge-points";
import { chargePointMessagePageSchema, chargePointPlanAgainstApplied, pageChargePointMessages } from "@/server/services/ocpp/charge-point-dashboard";
import { createTRPCRouter, procedureFor } from "../trpc";

const id = z.uuid();
const byId = z.object({ id });
const password = z.string().min(CHARGE_POINT_PASSWORD_MIN).max(CHARGE_POINT_PASSWORD_MAX);

export const directChargersRouter = createTRPCRouter({
  list: procedureFor("ocpp:read").query(({ ctx }) => listChargePoints(ctx.service)),
  get: procedureFor("ocpp:read").input(byId).query(({ ctx, input }) => getChargePoint(ctx.service, input.id)),
  messages: procedureFor("ocpp:read").input(chargePointMessagePageSchema).query(({ ctx, input }) => pageChargePointMessages(ctx.service, input)),
  commands: procedureFor("ocpp:read")
    .input(z.object({ id, limit: z.number().int().min(1).max(500).optional() }))
    .query(({ ctx, input }) => listChargePointCommands(ctx.service, input)),
  planAgainstApplied: procedureFor("ocpp:read").input(byId).query(({ ctx, input }) => chargePointPlanAgainstApplied(ctx.service, input)),
  register: procedureFor("ocpp:manage")
    .input(z.object({ assetId: id, chargePointId: z.string().regex(CHARGE_POINT_ID_PATTERN), password: password.optional(), enabled: z.boolean().optional() }))
    .mutation(({ ctx, input }) => registerChargePoint(ctx.service, input)),
  /** Sets the given password, or generates one when none is given (the charger must have it before it next connects). */
  setPassword: procedureFor("ocpp:manage")
    .input(z.object({ id, password: password.optional() }))
    .mutation(({ ctx, input }) => setChargePointPassword(ctx.service, input)),
  setEnabled: procedureFor("ocpp:manage").input(z.object({ id, enabled: z.boolean() })).mutation(({ ctx, input }) => setChargePointEnabled(ctx.service, input)),
});
