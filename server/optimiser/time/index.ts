export * from "./zone";
export * from "./settlement-slots";
