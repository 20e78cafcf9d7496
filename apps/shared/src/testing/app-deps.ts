/** What every service's create…App takes in an in-process test, whatever the service. */
import { createLogger, type Logger } from "../logging.js";
import { createRegistry, type Registry } from "../metrics.js";
import { testAppToken, testJwtKey } from "./tokens.js";

export interface TestAppDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly auth: { readonly hs256Key: string };
  readonly daprAppToken: string;
}

/** A silent logger and a registry of `service`'s own; tokens signed by signTestToken and the test Dapr app token are accepted. */
export function testAppDeps(service: string): TestAppDeps {
  return {
    logger: createLogger({ service, level: "silent" }),
    registry: createRegistry(service),
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
  };
}
