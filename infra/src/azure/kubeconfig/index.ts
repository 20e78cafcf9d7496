export * from "./kubelogin.js";
export * from "./provider.js";
