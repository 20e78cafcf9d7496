export * from "./vault.js";
