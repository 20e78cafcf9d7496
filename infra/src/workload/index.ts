export * from "./content-tag.js";
export * from "./image.js";
export * from "./pod.js";
export * from "./service-workload.js";
export * from "./secrets.js";
export * from "./database-roles.js";
export * from "./lag-scaling.js";
