import { accountRouter } from "./routers/account";
import { apiClientsRouter } from "./routers/api-clients";
import { auditRouter } from "./routers/audit";
import { batteriesRouter } from "./routers/batteries";
import { catalogueRouter } from "./routers/catalogue";
import { consentRouter } from "./routers/consent";
import { membersRouter } from "./routers/members";
import { meterRegistryRouter } from "./routers/meter-registry";
import { sitesRouter } from "./routers/sites";
import { siteDetailsRouter } from "./routers/site-details";
import { siteImportRouter } from "./routers/site-import";
import { chargingRouter } from "./routers/charging";
import { chargingViewsRouter } from "./routers/charging-views";
import { marketPricesRouter } from "./routers/market-prices";
import { scheduleEndpointsRouter } from "./routers/schedule-endpoints";
import { gridEventsRouter } from "./routers/grid-events";
import { rewardsRouter } from "./routers/rewards";
import { webhookEndpointsRouter } from "./routers/webhook-endpoints";
import { systemRouter } from "./routers/system";
import { overviewRouter } from "./routers/overview";
import { energyCoordinationRouter } from "./routers/energy-coordination";
import { directChargersRouter } from "./routers/direct-chargers";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  system: systemRouter,
  members: membersRouter,
  audit: auditRouter,
  sites: sitesRouter,
  apiClients: apiClientsRouter,
  siteImport: siteImportRouter,
  siteDetails: siteDetailsRouter,
  batteries: batteriesRouter,
  catalogue: catalogueRouter,
  consent: consentRouter,
  charging: chargingRouter,
  chargingViews: chargingViewsRouter,
  marketPrices: marketPricesRouter,
  meterRegistry: meterRegistryRouter,
  scheduleEndpoints: scheduleEndpointsRouter,
  gridEvents: gridEventsRouter,
  rewards: rewardsRouter,
  webhookEndpoints: webhookEndpointsRouter,
  overview: overviewRouter,
  energyCoordination: energyCoordinationRouter,
  directChargers: directChargersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
