/**
 * Values that only ever appear in documentation: the address blocks reserved for it (RFC 5737 for IPv4,
 * RFC 3849 for IPv6), the example domains (RFC 2606, RFC 6761: example.com/.net/.org and the `.example`
 * top-level domain) and the all-zero GUID. The committed stack files use them as stand-ins, so that the
 * offline plan and the tests run without anyone's real network. A real `pulumi preview` or `up` with one of
 * them cannot work (a firewall that admits nobody, a certificate for a domain nobody can prove, Let's Encrypt
 * refusing an example.com contact), so the program stops there; the offline tools allow them and say so.
 */

/** Set by the offline tools (mocked run, the engine tier): documentation values are allowed and reported. */
export const offlineEnvVar = "TASKS_PLATFORM_OFFLINE";

/** True when the program runs under the offline tools, never in a real `pulumi preview`/`up`. */
export const isOfflineRun = (env: NodeJS.ProcessEnv = process.env): boolean => env[offlineEnvVar] === "1";

const documentationIpv4 = [
  { cidr: "192.0.2.0/24", rfc: "RFC 5737 TEST-NET-1" },
  { cidr: "198.51.100.0/24", rfc: "RFC 5737 TEST-NET-2" },
  { cidr: "203.0.113.0/24", rfc: "RFC 5737 TEST-NET-3" },
] as const;

const toInt = (ip: string): number => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);

function ipv4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const prefix = Number(m[2] ?? 32);
  const size = 2 ** (32 - prefix);
  const base = toInt(m[1]!) - (toInt(m[1]!) % size);
  return [base, base + size - 1];
}

/** Why an IPv4/IPv6 address or CIDR lies in a documentation range, or undefined when it does not. */
export function documentationRange(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (/^2001:0?db8(:|::)/.test(v)) return "RFC 3849 IPv6 documentation prefix 2001:db8::/32";
  const range = ipv4Range(v);
  if (!range) return undefined;
  for (const d of documentationIpv4) {
    const [lo, hi] = ipv4Range(d.cidr)!;
    if (range[0] >= lo && range[1] <= hi) return `${d.rfc} documentation range ${d.cidr}`;
  }
  return undefined;
}

/** Why a DNS name (or the domain of an email address) is reserved for examples, or undefined. */
export function exampleDomain(value: string): string | undefined {
  const host = value.trim().toLowerCase().replace(/^.*@/, "").replace(/\.$/, "");
  if (/(^|\.)example\.(com|net|org)$/.test(host)) return `RFC 2606 example domain ${host.replace(/^.*?(example\.\w+)$/, "$1")}`;
  if (/(^|\.)example$/.test(host)) return "RFC 2606 reserved top-level domain .example";
  return undefined;
}

/** Why a GUID is a stand-in (the all-zero GUID), or undefined. */
export const placeholderGuid = (value: string): string | undefined =>
  /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(value.trim()) ? "the all-zero GUID, a placeholder" : undefined;

/** Why a string is a documentation stand-in of any kind, or undefined. */
export const exampleValue = (value: string): string | undefined =>
  documentationRange(value) ?? exampleDomain(value) ?? placeholderGuid(value);

/**
 * Every string leaf of a config value that is a documentation stand-in, as `path: value (why)`; `path` is the
 * key with dotted/indexed children (`tasks-platform:allowedIpRanges[0]`).
 */
export function exampleValuesIn(key: string, value: unknown): string[] {
  if (typeof value === "string") {
    const why = exampleValue(value);
    return why ? [`${key}: ${value} (${why})`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => exampleValuesIn(`${key}[${i}]`, v));
  if (value !== null && typeof value === "object")
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => exampleValuesIn(`${key}.${k}`, v));
  return [];
}
