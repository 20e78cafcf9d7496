import { defineCaseTests } from "./lib/run-cases.js";

await defineCaseTests("suppression");
