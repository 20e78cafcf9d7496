export * from "./app.js";
export * from "./keys.js";
export * from "./provider.js";
export * from "./users.js";
