import { postgresTlsRequired } from "../../src/azure/postgres-tls-required.js";
import { casesFor } from "../lib/harness.js";
import { azure, postgres } from "../fixtures/azure.js";

const param = (configurationName: string, value: string) => ({
  type: azure.postgresConfig,
  name: configurationName,
  props: { resourceGroupName: "tasks-rg", serverName: "pg", configurationName, value, source: "user-override" },
});

export default casesFor(postgresTlsRequired, [
  { n: 1, title: "require_secure_transport on", resource: param("require_secure_transport", "on"), expect: [] },
  { n: 2, title: "TLS 1.3 minimum", resource: param("ssl_min_protocol_version", "TLSv1.3"), expect: [] },
  { n: 3, title: "unrelated parameter", resource: param("azure.extensions", "PG_TRGM"), expect: [] },
  {
    n: 4,
    title: "require_secure_transport off",
    resource: param("require_secure_transport", "OFF"),
    expect: ['server parameter require_secure_transport is "OFF": clients could connect without TLS.'],
  },
  {
    n: 5,
    title: "TLS 1.1 minimum",
    resource: param("ssl_min_protocol_version", "TLSv1.1"),
    expect: ['server parameter ssl_min_protocol_version is "TLSv1.1"; use TLSv1.2 or later.'],
  },
  { n: 6, title: "the server itself", resource: postgres(), notApplicable: true },
]);
