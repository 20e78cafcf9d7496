export * from "./build.js";
export * from "./component.js";
export * from "./charts.js";
