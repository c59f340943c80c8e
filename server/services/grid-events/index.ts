// Grid events: create / edit / cancel, the dispatch plan, execution, partner callbacks, the live view.
export * from "./events";
export * from "./plan";
export * from "./execution";
export * from "./callbacks";
export * from "./live";
export * from "./notify";
