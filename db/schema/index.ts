export * from "./organisations";
export * from "./audit";
export * from "./system";
export * from "./inventory";
export * from "./api-clients";
export * from "./consent";
export * from "./batteries";
