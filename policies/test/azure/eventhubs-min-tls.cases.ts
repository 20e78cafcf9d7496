import { eventHubsMinTls } from "../../src/azure/eventhubs-min-tls.js";
import { casesFor, changed } from "../lib/harness.js";
import { ehNamespace, vault } from "../fixtures/azure.js";

export default casesFor(eventHubsMinTls, [
  { n: 1, title: "1.2", resource: ehNamespace(), expect: [] },
  {
    n: 2,
    title: "1.0",
    resource: changed(ehNamespace(), ["minimumTlsVersion", "1.0"]),
    expect: ['the namespace must set minimumTlsVersion: "1.2"; it is "1.0".'],
  },
  {
    n: 3,
    title: "unset",
    resource: changed(ehNamespace(), ["minimumTlsVersion"]),
    expect: ['the namespace must set minimumTlsVersion: "1.2"; it is not set.'],
  },
  { n: 4, title: "not a namespace", resource: vault(), notApplicable: true },
]);
