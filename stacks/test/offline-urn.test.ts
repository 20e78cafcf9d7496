import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineUrn } from "../src/offline/urn.js";

/** URNs as the Pulumi engine forms them (the mock monitor's differ below two levels of nesting). */

describe("engineUrn", () => {
  it("qualifies the type with every ancestor's type, not only the parent's", () => {
    const component = engineUrn("prod", "p", undefined, "tasks:azure:EventHubs", "events");
    const ns = engineUrn("prod", "p", component, "azure-native:eventhub:Namespace", "ns");
    assert.equal(ns, "urn:pulumi:prod::p::tasks:azure:EventHubs$azure-native:eventhub:Namespace::ns");
    assert.equal(
      engineUrn("prod", "p", ns, "azure-native:eventhub:EventHub", "hub"),
      "urn:pulumi:prod::p::tasks:azure:EventHubs$azure-native:eventhub:Namespace$azure-native:eventhub:EventHub::hub",
    );
  });

  it("leaves the stack out of the qualified type", () => {
    const stack = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
    assert.equal(
      engineUrn("dev", "p", stack, "random:index/randomPassword:RandomPassword", "pw"),
      "urn:pulumi:dev::p::random:index/randomPassword:RandomPassword::pw",
    );
  });
});
