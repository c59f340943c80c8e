export * from "./define-route";
export * from "./build-document";
export * from "./validate";
export * from "./scopes";
export * from "./routes";
