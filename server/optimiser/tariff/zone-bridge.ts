// The tariff module reads wall clocks through the time module. The lint layer
// rule forbids "../" imports in pure folders to keep optimiser/, ocpp/ and
// domain/ apart; time/ is part of the same pure optimiser, so this one bridge
// is exempt.
// eslint-disable-next-line no-restricted-imports -- sibling pure optimiser module, see above
export { isValidTimeZone, localDateTime, parseLocalTime } from "../time/zone";
