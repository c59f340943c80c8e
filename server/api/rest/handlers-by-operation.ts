// Every published REST operation's handler, by operationId (the published names, e.g.
// `get_sites_entities_site_get`): what the dispatcher behind app/api/v1/[[...path]] (and so the
// loopback platform server tests use) routes to.
import { issueTokenFormHandler, issueTokenFormRoute, issueTokenHandler, issueTokenRoute } from "./auth";
import { batteryHandlers } from "./batteries";
import { chargingEventHandlers } from "./charging-events";
import { enrolmentHandlers } from "./enrolment";
import { exampleHandlers } from "./examples";
import { energyCoordinationHandlers } from "./energy-coordination";
import { gridEventHandlers } from "./grid-events";
import { householdAccessHandlers } from "./household-access";
import { inventoryHandlers } from "./inventory";
import { meterHandlers } from "./meters";
import { readingsPriceHandlers } from "./readings-prices";
import type { OperationHandler } from "./rest-handler";
import { rewardHandlers } from "./rewards";

export type RestHandler = (request: Request) => Promise<Response> | Response;

const handlerGroups: Record<string, OperationHandler>[] = [
  inventoryHandlers,
  batteryHandlers,
  enrolmentHandlers,
  chargingEventHandlers,
  readingsPriceHandlers,
  gridEventHandlers,
  rewardHandlers,
  exampleHandlers,
  householdAccessHandlers,
  meterHandlers,
  energyCoordinationHandlers,
];

export const restHandlersByOperationId: Record<string, RestHandler> = {
  ...Object.fromEntries(handlerGroups.flatMap((group) => Object.values(group)).map((handler) => [handler.operationId, handler])),
  [issueTokenRoute.operationId]: issueTokenHandler,
  [issueTokenFormRoute.operationId]: issueTokenFormHandler,
};
