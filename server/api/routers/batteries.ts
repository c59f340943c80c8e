// The dashboard's batteries pages and the site page's OEM credentials step.
import { z } from "zod";
import { OEMS, OPERATION_MODES } from "@/server/oem/types";
import { cancelAction, createOperationModeAction, listBatteryActions } from "@/server/services/actions/actions";
import { BATTERY_CONNECTIONS, BATTERY_SORTS, getBattery, getBatteryFleetView, getBatteryReadings, pollSiteBatteries, readBatteryNow } from "@/server/services/batteries/batteries";
import { getOemCredentialSummary, submitOemCredential } from "@/server/services/credentials/credentials";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("sites:read");
const control = procedureFor("batteries:control");

export const batteriesRouter = createTRPCRouter({
  list: read
    .input(
      z.object({
        oem: z.enum(OEMS).optional(),
        status: z.enum(BATTERY_CONNECTIONS).optional(),
        mode: z.enum(OPERATION_MODES).optional(),
        search: z.string().trim().max(100).optional(),
        sort: z.enum(BATTERY_SORTS).default("name"),
        direction: z.enum(["asc", "desc"]).default("asc"),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      }),
    )
    .query(({ ctx, input }) => getBatteryFleetView(ctx.service, input)),
  get: read.input(z.object({ assetId: z.guid() })).query(async ({ ctx, input }) => {
    const battery = await getBattery(ctx.service, input.assetId);
    const [actions, credential] = await Promise.all([listBatteryActions(ctx.service, input.assetId, 20), getOemCredentialSummary(ctx.service, battery.siteId)]);
    return { battery, actions, credential };
  }),
  readings: read.input(z.object({ assetId: z.guid(), range: z.enum(["24h", "7d"]) })).query(({ ctx, input }) => {
    const to = new Date();
    const from = new Date(to.getTime() - (input.range === "24h" ? 1 : 7) * 86_400_000);
    return getBatteryReadings(ctx.service, { assetId: input.assetId, from, to, maxPoints: input.range === "24h" ? 720 : 1008 });
  }),
  /** Reads the battery from its OEM cloud now, instead of waiting for its next poll. */
  readNow: control.input(z.object({ assetId: z.guid() })).mutation(async ({ ctx, input }) => {
    const outcome = await readBatteryNow(ctx.service, input.assetId);
    return { ok: outcome.ok };
  }),
  setMode: control
    .input(z.object({ assetId: z.guid(), operationMode: z.enum(OPERATION_MODES) }))
    .mutation(({ ctx, input }) => createOperationModeAction(ctx.service, input)),
  cancelAction: control.input(z.object({ assetId: z.guid(), actionId: z.guid() })).mutation(({ ctx, input }) => cancelAction(ctx.service, input)),
  credential: read.input(z.object({ siteId: z.guid() })).query(({ ctx, input }) => getOemCredentialSummary(ctx.service, input.siteId)),
  submitCredential: procedureFor("credentials:write")
    .input(
      z.object({
        siteId: z.guid(),
        oem: z.enum(OEMS),
        tokenType: z.enum(["API_KEY", "Bearer"]),
        accessToken: z.string().trim().min(1).max(4096),
        refreshToken: z.string().trim().min(1).max(4096).optional(),
        expiresAt: z.coerce.date().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const saved = await submitOemCredential(ctx.service, input);
      // Best effort: show live state at once; the schedule catches up if this read fails.
      await pollSiteBatteries(ctx.service, input.siteId).catch(() => []);
      return saved;
    }),
});
