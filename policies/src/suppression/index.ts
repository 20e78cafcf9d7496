import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { suppressionValid } from "./valid.js";

export const suppressionPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [suppressionValid];
