export * from "./state-backend.js";
