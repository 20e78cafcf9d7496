export * from "./promql.js";
export * from "./rules.js";
export * from "./dashboards.js";
export * from "./monitors.js";
export * from "./kube-prometheus-stack.js";
export * from "./component.js";
