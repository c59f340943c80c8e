// Direct charge points (OCPP-J central system): operators' entry points, the gateway's, and the
// direct-charger route of schedule delivery. See docs/ocpp.md.
export * from "./charge-points";
export * from "./charge-point-life";
export * from "./commands";
export * from "./gateway-registry";
