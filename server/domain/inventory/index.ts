export * from "./mpan";
export * from "./postcode";
export * from "./vin";
export * from "./asset-properties";
export * from "./eligibility";
