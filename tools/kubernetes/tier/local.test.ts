import { apiServerSuite } from "./stack-suite.js";

apiServerSuite("local");
