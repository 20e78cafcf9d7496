import { requiredTags } from "../../src/azure/required-tags.js";
import { casesFor, changed } from "../lib/harness.js";
import { roleAssignment, roles, vault } from "../fixtures/azure.js";

export default casesFor(requiredTags, [
  { n: 1, title: "all three tags, environment matches the stack", resource: vault(), expect: [] },
  {
    n: 2,
    title: "tag names compared ignoring case and separators",
    resource: changed(vault(), ["tags", { Environment: "dev", Owner: "team", CostCenter: "1" }]),
    expect: [],
  },
  { n: 3, title: "no tags", resource: changed(vault(), ["tags"]), expect: ["missing tags environment, owner, cost-center."] },
  { n: 4, title: "one tag missing", resource: changed(vault(), ["tags.owner"]), expect: ["missing tag owner."] },
  {
    n: 5,
    title: "environment tag of another stack",
    stack: "prod",
    resource: vault("dev"),
    expect: ['tag environment is "dev", but the stack\'s environment is "prod".'],
  },
  {
    n: 6,
    title: "tags required by the policy config",
    config: { "azure-required-tags": { requiredTags: ["environment", "data-classification"] } },
    resource: vault(),
    expect: ["missing tag data-classification."],
  },
  { n: 7, title: "role assignments take no tags", resource: roleAssignment(roles.owner), notApplicable: true },
]);
