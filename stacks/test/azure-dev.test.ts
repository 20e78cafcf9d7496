import { azureStackSuite } from "./azure-stack-suite.js";

azureStackSuite("dev");
