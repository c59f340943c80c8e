// Direct charge points (OCPP-J) in the dashboard: their state, message log, the last plan against
// what the charger applies, and password set/rotate (the new password is answered once).
import { z } from "zod";
import { getChargePoint, listChargePoints, setChargePointPassword } from "@/server/services/ocpp/charge-points";
import { chargePointMessagePageSchema, chargePointPlanAgainstApplied, pageChargePointMessages } from "@/server/services/ocpp/charge-point-dashboard";
import { createTRPCRouter, procedureFor } from "../trpc";

const byId = z.object({ id: z.uuid() });

export const directChargersRouter = createTRPCRouter({
  list: procedureFor("ocpp:read").query(({ ctx }) => listChargePoints(ctx.service)),
  get: procedureFor("ocpp:read").input(byId).query(({ ctx, input }) => getChargePoint(ctx.service, input.id)),
  messages: procedureFor("ocpp:read").input(chargePointMessagePageSchema).query(({ ctx, input }) => pageChargePointMessages(ctx.service, input)),
  planAgainstApplied: procedureFor("ocpp:read").input(byId).query(({ ctx, input }) => chargePointPlanAgainstApplied(ctx.service, input)),
  /** Generates a new password (the charger must be given it before it next connects). */
  rotatePassword: procedureFor("ocpp:manage").input(byId).mutation(({ ctx, input }) => setChargePointPassword(ctx.service, { id: input.id })),
});
