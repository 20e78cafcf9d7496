import "../../src/index.js"; // registers the pack's policies, which the entries are checked against
import { suppressionValid } from "../../src/suppression/valid.js";
import { today } from "../../src/lib/suppressions.js";
import { casesFor } from "../lib/harness.js";
import { deployment } from "../fixtures/kubernetes.js";

/** Dates relative to the day the test runs, so that the fixtures never expire themselves. */
const inDays = (n: number): string => today(new Date(Date.now() + n * 86_400_000));
const entry = (fields: Record<string, string>): string =>
  `- ${Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n  ")}\n`;
const valid = {
  policy: "kubernetes-image-registry",
  resource: "urn:pulumi:dev::tasks-platform::*::postgres-statefulset",
  reason: "upstream image until we mirror it",
  owner: "platform-team",
  expires: inDays(30),
};
const resources = [deployment()];

export default casesFor(suppressionValid, [
  { n: 1, title: "a complete entry in force", resources, suppressions: entry(valid), expect: [] },
  { n: 2, title: "an empty file", resources, suppressions: "# nothing suppressed\n[]\n", expect: [] },
  {
    n: 3,
    title: "an expired entry",
    resources,
    suppressions: entry({ ...valid, expires: "2020-01-31" }),
    expect: [
      "dev.yaml entry 1 (kubernetes-image-registry on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) expired on 2020-01-31; fix the resource, or renew it with a new review.",
    ],
  },
  {
    n: 4,
    title: "a security-critical policy",
    resources,
    suppressions: entry({ ...valid, policy: "kubernetes-no-privileged-containers" }),
    expect: [
      'dev.yaml entry 1 (kubernetes-no-privileged-containers on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) names "kubernetes-no-privileged-containers", a security-critical policy that cannot be suppressed; fix the resource.',
    ],
  },
  {
    n: 5,
    title: "a policy the pack does not have",
    resources,
    suppressions: entry({ ...valid, policy: "kubernetes-image-registy" }),
    expect: [
      'dev.yaml entry 1 (kubernetes-image-registy on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) names no policy of the pack ("kubernetes-image-registy").',
    ],
  },
  {
    n: 6,
    title: "no reason, no owner",
    resources,
    suppressions: entry({ policy: valid.policy, resource: valid.resource, expires: valid.expires }),
    expect: [
      "dev.yaml entry 1 (kubernetes-image-registry on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) sets no reason, owner.",
    ],
  },
  {
    n: 7,
    title: "more than a year ahead, and a second entry that is not a date",
    resources,
    suppressions: entry({ ...valid, expires: inDays(400) }) + entry({ ...valid, expires: "next spring" }),
    expect: [
      `dev.yaml entry 1 (kubernetes-image-registry on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) expires ${inDays(400)}, more than 366 days ahead; review exceptions at least yearly.`,
      'dev.yaml entry 2 (kubernetes-image-registry on urn:pulumi:dev::tasks-platform::*::postgres-statefulset) expires "next spring" is not a date (YYYY-MM-DD).',
    ],
  },
  {
    n: 8,
    title: "a file that is not a list",
    resources,
    suppressions: "policy: kubernetes-image-registry\n",
    expect: ["dev.yaml: expected a list of suppressions"],
  },
  { n: 9, title: "no resource names the stack", resources: [], suppressions: entry(valid), notApplicable: true },
]);
