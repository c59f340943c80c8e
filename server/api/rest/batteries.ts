// Handlers of the OEM credential route and the battery-control dialect's routes.
import * as routes from "@/server/api/openapi/routes-batteries";
import { actionToWire, cancelAction, createOperationModeAction, getAction } from "@/server/services/actions/actions";
import { getBattery, listBatteries, pollSiteBatteries, type BatterySummary } from "@/server/services/batteries/batteries";
import { submitOemCredential } from "@/server/services/credentials/credentials";
import { restHandler } from "./rest-handler";

function batteryToWire(b: BatterySummary) {
  return {
    id: b.assetId,
    userId: b.siteId,
    vendor: b.oem?.toUpperCase() ?? null,
    isReachable: b.connection === "online",
    lastSeen: b.lastSeenAt?.toISOString() ?? null,
    chargeState: {
      status: b.chargeStatus,
      chargeRate: b.batteryPowerKw,
      batteryLevel: b.socPct,
      dischargeLimit: b.dischargeFloorPct,
      batteryCapacity: b.capacityKwh,
      lastUpdated: b.lastSeenAt?.toISOString() ?? null,
    },
    config: { operationMode: b.operationMode },
    information: { deviceId: b.oemDeviceId, externalId: b.externalId },
  };
}

export const batteryHandlers = {
  addSiteAuthToken: restHandler({
    route: routes.addSiteAuthToken,
    handler: async ({ ctx, params, body }) => {
      const expiresAt = body.expires_utc ? new Date(body.expires_utc) : body.expires_in ? new Date(Date.now() + body.expires_in * 1000) : undefined;
      const saved = await submitOemCredential(ctx, {
        siteId: params.site_id,
        oem: body.oem,
        tokenType: body.token_type,
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        expiresAt,
      });
      await pollSiteBatteries(ctx, params.site_id).catch(() => []);
      return {
        status: 200,
        body: { site_id: saved.siteId, oem: saved.oem, token_type: saved.tokenType, last_four: saved.lastFour, expires_utc: saved.expiresAt?.toISOString() ?? null, status: saved.status },
      };
    },
  }),

  listBatteries: restHandler({
    route: routes.listBatteriesRoute,
    handler: async ({ ctx }) => ({ status: 200, body: { data: (await listBatteries(ctx)).map(batteryToWire), pagination: { after: null, before: null } } }),
  }),

  getBattery: restHandler({
    route: routes.getBatteryRoute,
    handler: async ({ ctx, params }) => ({ status: 200, body: batteryToWire(await getBattery(ctx, params.batteryId)) }),
  }),

  setBatteryOperationMode: restHandler({
    route: routes.setOperationModeRoute,
    handler: async ({ ctx, params, body }) => ({
      status: 200,
      body: actionToWire(await createOperationModeAction(ctx, { assetId: params.batteryId, operationMode: body.operationMode })),
    }),
  }),

  getBatteryAction: restHandler({
    route: routes.getActionRoute,
    handler: async ({ ctx, params }) => ({ status: 200, body: actionToWire(await getAction(ctx, params.actionId)) }),
  }),

  cancelBatteryAction: restHandler({
    route: routes.cancelActionRoute,
    handler: async ({ ctx, params }) => ({ status: 200, body: actionToWire(await cancelAction(ctx, { assetId: params.batteryId, actionId: params.actionId })) }),
  }),
};
