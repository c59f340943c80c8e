export * from "./place-pause";
export * from "./plug-in-schedule";
