export * from "./log-analytics.js";
