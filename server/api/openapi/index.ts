export * from "./define-route";
export * from "./build-document";
export * from "./validate";
export * from "@/server/domain/api-scopes";
export * from "./routes";
