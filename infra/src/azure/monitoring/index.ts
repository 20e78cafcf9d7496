export * from "./log-analytics.js";
export * from "./app-insights.js";
export * from "./metric-alerts.js";
