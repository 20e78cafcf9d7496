export * from "./database.js";
export * from "./tokens.js";
export * from "./fake-sidecar.js";
export * from "./inject.js";
export * from "./fixtures.js";
export * from "./dockerfile.js";
export * from "./process.js";
export * from "./http-fuzz.js";
