export * from "./bundle.js";
export * from "./config.js";
export * from "./server.js";
