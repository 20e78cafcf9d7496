import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { documentationRange, exampleDomain, exampleValuesIn, isOfflineRun, placeholderGuid } from "../src/config/examples.js";
import { loadStackConfig } from "../src/offline/stack-config.js";

describe("documentation stand-ins a real run rejects (issue 24, item 3)", () => {
  it("knows the RFC 5737 and RFC 3849 ranges and what lies inside them", () => {
    assert.equal(documentationRange("203.0.113.0/24"), "RFC 5737 TEST-NET-3 documentation range 203.0.113.0/24");
    assert.equal(documentationRange("203.0.113.7"), "RFC 5737 TEST-NET-3 documentation range 203.0.113.0/24");
    assert.equal(documentationRange("198.51.100.128/25"), "RFC 5737 TEST-NET-2 documentation range 198.51.100.0/24");
    assert.equal(documentationRange("192.0.2.0/28"), "RFC 5737 TEST-NET-1 documentation range 192.0.2.0/24");
    assert.equal(documentationRange("2001:db8::/32"), "RFC 3849 IPv6 documentation prefix 2001:db8::/32");
    // A range that merely contains one (a firewall open to the world) is a real value, if a bad one.
    for (const real of ["203.0.114.0/24", "198.51.101.0/24", "10.40.0.0/16", "20.61.12.0/28", "192.0.0.0/16", "0.0.0.0/0"])
      assert.equal(documentationRange(real), undefined, real);
  });

  it("knows the example domains and the .example top-level domain, in host names and email addresses", () => {
    assert.equal(exampleDomain("tasks.dev.example.com"), "RFC 2606 example domain example.com");
    assert.equal(exampleDomain("example.org"), "RFC 2606 example domain example.org");
    assert.equal(exampleDomain("platform@example.net"), "RFC 2606 example domain example.net");
    assert.equal(exampleDomain("api.tasks.example"), "RFC 2606 reserved top-level domain .example");
    for (const real of ["notexample.com", "example.community", "tasks.contoso.io", "example.com.contoso.io"])
      assert.equal(exampleDomain(real), undefined, real);
    assert.equal(placeholderGuid("00000000-0000-0000-0000-000000000000"), "the all-zero GUID, a placeholder");
    assert.equal(placeholderGuid("5c1d5e2a-0b8e-4c65-9a59-8f3a8d2b1e47"), undefined);
  });

  it("finds them anywhere in a config value, naming the path", () => {
    assert.deepEqual(
      exampleValuesIn("tasks-platform:smtp", { host: "smtp.example.com", port: 587, egressCidrs: ["20.1.1.0/24", "198.51.100.0/24"] }),
      [
        "tasks-platform:smtp.host: smtp.example.com (RFC 2606 example domain example.com)",
        "tasks-platform:smtp.egressCidrs[1]: 198.51.100.0/24 (RFC 5737 TEST-NET-2 documentation range 198.51.100.0/24)",
      ],
    );
  });

  it("is allowed only when the offline tools say so", () => {
    assert.equal(isOfflineRun({}), false);
    assert.equal(isOfflineRun({ TASKS_PLATFORM_OFFLINE: "1" }), true);
    assert.equal(isOfflineRun({ TASKS_PLATFORM_OFFLINE: "true" }), false);
  });

  it("lists the committed stack files' stand-ins for the offline plan to report, for the cloud stacks only", () => {
    assert.ok(
      loadStackConfig("dev").exampleValues.includes(
        "tasks-platform:allowedIpRanges[0]: 203.0.113.0/24 (RFC 5737 TEST-NET-3 documentation range 203.0.113.0/24)",
      ),
    );
    assert.ok(
      loadStackConfig("bootstrap").exampleValues.some((v) => v.startsWith("tasks-platform:environments.prod.adminGroupMembers[0]:")),
    );
    assert.deepEqual(loadStackConfig("local").exampleValues, []);
  });
});
