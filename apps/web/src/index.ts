export * from "./app.js";
export * from "./bundle.js";
export * from "./config.js";
export * from "./server.js";
export * from "./size.js";
