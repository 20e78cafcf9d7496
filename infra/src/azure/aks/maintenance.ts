import type * as pulumi from "@pulumi/pulumi";
import type { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster.js";
import { MaintenanceConfiguration } from "@pulumi/azure-native/containerservice/maintenanceConfiguration.js";
import { childName } from "../../naming.js";

export type WeekDay = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";

export interface MaintenanceWindow {
  readonly dayOfWeek: WeekDay;
  /** `HH:MM`, in utcOffset. */
  readonly startTime: string;
  /** At least 4 (AKS minimum for planned maintenance). */
  readonly durationHours: number;
  /** @default "+00:00" */
  readonly utcOffset?: string;
}

/** AKS's two managed maintenance configurations: cluster auto-upgrades and node OS upgrades. */
export const maintenanceConfigNames = ["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"] as const;

export function maintenanceWindowProblems(w: MaintenanceWindow): string[] {
  const problems: string[] = [];
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(w.startTime)) problems.push(`maintenanceWindow.startTime must be HH:MM, got "${w.startTime}"`);
  if (!Number.isInteger(w.durationHours) || w.durationHours < 4 || w.durationHours > 24)
    problems.push(`maintenanceWindow.durationHours must be an integer 4..24, got ${w.durationHours}`);
  if (w.utcOffset !== undefined && !/^[+-]\d{2}:\d{2}$/.test(w.utcOffset))
    problems.push(`maintenanceWindow.utcOffset must look like +00:00, got "${w.utcOffset}"`);
  return problems;
}

/** Both managed schedules on the same weekly window, children of the cluster. */
export function createMaintenanceWindows(
  name: string,
  cluster: ManagedCluster,
  resourceGroupName: pulumi.Input<string>,
  window: MaintenanceWindow,
): MaintenanceConfiguration[] {
  return maintenanceConfigNames.map(
    (configName) =>
      new MaintenanceConfiguration(
        childName(name, configName === "aksManagedAutoUpgradeSchedule" ? "upgrade-window" : "node-os-window"),
        {
          resourceGroupName,
          resourceName: cluster.name,
          configName,
          maintenanceWindow: {
            schedule: { weekly: { dayOfWeek: window.dayOfWeek, intervalWeeks: 1 } },
            startTime: window.startTime,
            durationHours: window.durationHours,
            utcOffset: window.utcOffset ?? "+00:00",
          },
        },
        { parent: cluster },
      ),
  );
}
