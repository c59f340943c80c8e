export * from "./off-peak-times";
export * from "./tariff";
