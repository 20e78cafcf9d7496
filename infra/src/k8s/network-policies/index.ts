export * from "./build.js";
export * from "./component.js";
