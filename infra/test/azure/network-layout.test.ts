import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overlaps, overlayRanges, parseCidr, subnetLayout } from "../../src/azure/network/layout.js";

describe("subnet layout", () => {
  it("carves nodes, Postgres and private endpoints out of the VNet without overlap", () => {
    const l = subnetLayout("10.40.0.0/16");
    assert.deepEqual(l, { aksNodes: "10.40.0.0/20", postgres: "10.40.16.0/24", privateEndpoints: "10.40.17.0/24" });
    const all = Object.values(l);
    for (const [i, a] of all.entries()) {
      assert.ok(overlaps("10.40.0.0/16", a), `${a} inside the VNet`);
      for (const b of all.slice(i + 1)) assert.equal(overlaps(a, b), false, `${a} vs ${b}`);
    }
  });

  it("fits a /19", () => {
    const l = subnetLayout("10.8.32.0/19");
    for (const s of Object.values(l)) assert.ok(overlaps("10.8.32.0/19", s) && parseCidr(s).base >= parseCidr("10.8.32.0/19").base);
    assert.equal(l.privateEndpoints, "10.8.49.0/24");
  });

  it("rejects a VNet that is too small, misaligned or overlaps the overlay ranges", () => {
    assert.throws(() => subnetLayout("10.40.0.0/20"), {
      message: "VNet address space 10.40.0.0/20 is too small: the subnets need a /19 or larger",
    });
    assert.throws(() => subnetLayout("10.40.1.0/16"), { message: '"10.40.1.0/16" has host bits set; did you mean 10.40.0.0/16?' });
    assert.throws(() => subnetLayout("192.168.0.0/16"), {
      message: `VNet address space 192.168.0.0/16 overlaps the AKS overlay range ${overlayRanges.podCidr}`,
    });
    assert.throws(() => parseCidr("10.0.0.300/16"), { message: '"10.0.0.300/16" is not an IPv4 CIDR' });
  });
});
