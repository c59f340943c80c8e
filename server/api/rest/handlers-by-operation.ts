// Every published REST operation's handler, by operationId: what tests and the loopback
// platform server (test/flows/platform-http.ts) route to. The Next route files under app/api/v1
// import the same handlers one by one.
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
