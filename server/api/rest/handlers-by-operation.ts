// Every published REST operation's handler, by operationId: what the dispatcher behind
// app/api/v1/[[...path]] (and so the loopback platform server tests use) routes to.
import { issueTokenFormHandler, issueTokenHandler } from "./auth";
import { batteryHandlers } from "./batteries";
import { chargingEventHandlers } from "./charging-events";
import { enrolmentHandlers } from "./enrolment";
import { energyCoordinationHandlers } from "./energy-coordination";
import { gridEventHandlers } from "./grid-events";
import { inventoryHandlers } from "./inventory";
import { readingsPriceHandlers } from "./readings-prices";
import { rewardHandlers } from "./rewards";

export type RestHandler = (request: Request) => Promise<Response> | Response;

export const restHandlersByOperationId: Record<string, RestHandler> = {
  ...inventoryHandlers,
  ...batteryHandlers,
  ...enrolmentHandlers,
  ...chargingEventHandlers,
  ...readingsPriceHandlers,
  ...gridEventHandlers,
  ...rewardHandlers,
  ...energyCoordinationHandlers,
  issueToken: issueTokenHandler,
  issueTokenForm: issueTokenFormHandler,
};
