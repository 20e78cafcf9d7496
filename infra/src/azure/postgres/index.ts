export * from "./connection.js";
export * from "./server.js";
