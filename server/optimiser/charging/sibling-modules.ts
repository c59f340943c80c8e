// The request adapter builds planning slots from tariffs and wall times, which
// live in the sibling time/ and tariff/ modules. The lint layer rule forbids
// "../" imports in pure folders to keep optimiser/, ocpp/ and domain/ apart;
// these are parts of the same pure optimiser, so this one bridge is exempt.
/* eslint-disable no-restricted-imports -- sibling pure optimiser modules, see above */
export { isValidTimeZone, nextOccurrenceOfLocalTime, parseLocalTime } from "../time/zone";
export { settlementSlots, type SettlementSlot } from "../time/settlement-slots";
export { priceInterval, tariffFromWire, tariffWireSchema, type Tariff } from "../tariff/tariff";
/* eslint-enable no-restricted-imports */
