import { aksStackSuite } from "./platform-aks-suite.js";

aksStackSuite("dev");
