/** CIDR arithmetic for the VNet: which ranges the AKS nodes, Postgres and private endpoints get. */

export interface SubnetLayout {
  /** AKS nodes (pods use the CNI overlay range, not the VNet). A /20: room for ~4000 nodes. */
  readonly aksNodes: string;
  /** Delegated to Postgres Flexible Server. */
  readonly postgres: string;
  /** Private endpoints of Key Vault, Event Hubs and ACR. */
  readonly privateEndpoints: string;
}

/** Address space of the CNI overlay pods and of Kubernetes services; must not overlap the VNet. */
export const overlayRanges = { podCidr: "192.168.0.0/16", serviceCidr: "172.16.0.0/16", dnsServiceIP: "172.16.0.10" } as const;

const toInt = (ip: string): number => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

/** Parses `a.b.c.d/p`; throws on anything else or on host bits set. */
export function parseCidr(cidr: string): { base: number; prefix: number; size: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  const prefix = Number(m?.[2]);
  if (!m || m[1]!.split(".").some((o) => Number(o) > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR`);
  const size = 2 ** (32 - prefix);
  const base = toInt(m[1]!);
  if (base % size !== 0) throw new Error(`"${cidr}" has host bits set; did you mean ${toIp(base - (base % size))}/${prefix}?`);
  return { base, prefix, size };
}

/** True when two CIDRs share an address. */
export function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

/**
 * Carves the subnets out of the VNet address space, which must be a /19 or larger: nodes get the
 * first /20, Postgres the next /24, private endpoints the /24 after it.
 */
export function subnetLayout(addressSpace: string): SubnetLayout {
  const { base, prefix } = parseCidr(addressSpace);
  if (prefix > 19) throw new Error(`VNet address space ${addressSpace} is too small: the subnets need a /19 or larger`);
  for (const r of [overlayRanges.podCidr, overlayRanges.serviceCidr]) {
    if (overlaps(addressSpace, r)) throw new Error(`VNet address space ${addressSpace} overlaps the AKS overlay range ${r}`);
  }
  return {
    aksNodes: `${toIp(base)}/20`,
    postgres: `${toIp(base + 4096)}/24`,
    privateEndpoints: `${toIp(base + 4096 + 256)}/24`,
  };
}
