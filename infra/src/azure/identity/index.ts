export * from "./workload-identity.js";
