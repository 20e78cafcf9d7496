export * from "./pools.js";
export * from "./maintenance.js";
export * from "./cluster.js";
