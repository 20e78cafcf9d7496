export * from "./layout.js";
export * from "./dns-zones.js";
export * from "./network.js";
export * from "./private-endpoint.js";
export * from "./ingress-address.js";
