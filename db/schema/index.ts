export * from "./organisations";
export * from "./audit";
export * from "./system";
