import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "@tasks/catalog";
import { serviceRouteManifests } from "./gateway-manifests.js";

export interface GatewayRoutesArgs {
  readonly namespace: string;
  readonly host: string;
  readonly services: readonly ServiceSpec[];
  /** The Gateway and the Services the routes point at. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One HTTPRoute per service with public routes, on the public Gateway's HTTPS listener. */
export class GatewayRoutes extends pulumi.ComponentResource {
  readonly routes: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: GatewayRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:GatewayRoutes", name, {}, opts);
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(args.host)) {
      throw new pulumi.ResourceError(`host: "${args.host}" is not a lower-case DNS name`, this);
    }
    this.routes = serviceRouteManifests(args).map(
      (m) => new k8s.apiextensions.CustomResource(`${name}-${m.metadata.name}`, m, { parent: this, dependsOn: args.dependsOn }),
    );
    this.registerOutputs({});
  }
}
