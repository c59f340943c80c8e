// A demo household's site: the n-th place of demo-places with its MPAN, address and boundary-meter consent.
import type { ServiceContext } from "@/server/services/context";
import { createSite } from "@/server/services/inventory/sites";
import { demoHousehold } from "./demo-places";

export function createDemoHouseholdSite(ctx: ServiceContext, householdIndex: number, consentAt: Date) {
  const household = demoHousehold(householdIndex);
  return createSite(ctx, {
    mpan: household.mpan,
    postcode: household.postcode,
    streetAddress: household.streetAddress,
    email: household.email,
    gaveBoundaryMeterConsentAt: consentAt,
    isHalfHourlySettled: true,
  });
}
