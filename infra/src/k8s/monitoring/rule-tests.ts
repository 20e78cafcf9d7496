import { alertDefinitions, type AlertRule } from "./rules.js";

/** One synthetic series of a promtool test: a selector and promtool's expanding notation (`0+6x40`, `1x12`). */
export interface SyntheticSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * A promtool unit test of one alert: series that make it fire (with the labels and `$value` it must fire
 * with) and series of a healthy platform on which it must stay silent. Samples are one minute apart.
 */
export interface AlertTest {
  readonly alert: string;
  readonly firing: {
    readonly series: readonly SyntheticSeries[];
    readonly evalTime: string;
    /** The alert's labels besides alertname and severity. */
    readonly labels: Readonly<Record<string, string>>;
    /** `{{ $value }}` as Prometheus prints it. */
    readonly value: string;
  };
  readonly healthy: { readonly series: readonly SyntheticSeries[]; readonly evalTime: string };
}

const s = (series: string, values: string): SyntheticSeries => ({ series, values });
const http = (status: string, values: string) => s(`http_request_duration_seconds_count{service="tasks-api",status="${status}"}`, values);
const buckets = (metric: string, labels: string, byLe: Record<string, string>) =>
  Object.entries(byLe).map(([le, values]) => s(`${metric}_bucket{${labels}${labels ? "," : ""}le="${le}"}`, values));
const lagLabels = 'consumergroup="recurrence",topic="task.completed"';
const smtp = (result: string, values: string) => s(`smtp_sends_total{service="notifications",result="${result}"}`, values);
const circuit = (open: number) => [
  s(`smtp_circuit_state{service="notifications",state="closed"}`, `${1 - open}x20`),
  s(`smtp_circuit_state{service="notifications",state="half-open"}`, "0x20"),
  s(`smtp_circuit_state{service="notifications",state="open"}`, `${open}x20`),
];

/**
 * Every alert's test. A histogram whose observations all fall above its highest finite bucket reads that
 * bucket's bound as its quantile, which keeps `$value` exact; counters step inside windows whose edges fall
 * on samples, so `increase` needs no extrapolation.
 */
export const alertTests: readonly AlertTest[] = [
  {
    alert: "TasksHighErrorRate",
    firing: {
      series: [http("500", "0+6x40"), http("200", "0+54x40")],
      evalTime: "30m",
      labels: { service: "tasks-api" },
      value: "0.1",
    },
    healthy: { series: [http("500", "0x40"), http("200", "0+60x40")], evalTime: "30m" },
  },
  {
    alert: "TasksHighLatencyP95",
    firing: {
      series: buckets("http_request_duration_seconds", 'service="audit"', { "1": "0x40", "+Inf": "0+10x40" }),
      evalTime: "30m",
      labels: { service: "audit" },
      value: "1",
    },
    healthy: {
      series: buckets("http_request_duration_seconds", 'service="audit"', { "0.1": "0+10x40", "1": "0+10x40", "+Inf": "0+10x40" }),
      evalTime: "30m",
    },
  },
  {
    alert: "TasksConsumerLagHigh",
    firing: {
      series: buckets("event_consume_lag_seconds", 'service="recurrence",topic="task.completed"', { "300": "0x40", "+Inf": "0+5x40" }),
      evalTime: "30m",
      labels: { service: "recurrence", topic: "task.completed" },
      value: "300",
    },
    healthy: {
      series: buckets("event_consume_lag_seconds", 'service="recurrence",topic="task.completed"', {
        "1": "0+5x40",
        "300": "0+5x40",
        "+Inf": "0+5x40",
      }),
      evalTime: "30m",
    },
  },
  {
    alert: "TasksConsumerGroupLagHigh",
    firing: {
      series: [
        s(`kafka_consumergroup_lag{${lagLabels},partition="0"}`, "600x30"),
        s(`kafka_consumergroup_lag{${lagLabels},partition="1"}`, "600x30"),
      ],
      evalTime: "20m",
      labels: { consumergroup: "recurrence", topic: "task.completed", service: "recurrence" },
      value: "1200",
    },
    healthy: { series: [s(`kafka_consumergroup_lag{${lagLabels},partition="0"}`, "10x30")], evalTime: "20m" },
  },
  {
    alert: "TasksConsumerStalled",
    firing: {
      series: [
        s(`kafka_consumergroup_lag{${lagLabels},partition="0"}`, "0+10x30"),
        s(`kafka_consumergroup_current_offset{${lagLabels},partition="0"}`, "100x30"),
      ],
      evalTime: "20m",
      labels: { consumergroup: "recurrence", topic: "task.completed", service: "recurrence" },
      value: "100",
    },
    healthy: {
      series: [
        s(`kafka_consumergroup_lag{${lagLabels},partition="0"}`, "5x30"),
        s(`kafka_consumergroup_current_offset{${lagLabels},partition="0"}`, "0+10x30"),
      ],
      evalTime: "20m",
    },
  },
  {
    alert: "TasksOutboxLagHigh",
    firing: {
      series: [s('outbox_lag_seconds{service="tasks-api"}', "120x20")],
      evalTime: "10m",
      labels: { service: "tasks-api" },
      value: "120",
    },
    healthy: { series: [s('outbox_lag_seconds{service="tasks-api"}', "1x20")], evalTime: "10m" },
  },
  {
    alert: "TasksDeadLetters",
    firing: {
      series: [s('events_dead_lettered_total{service="audit",topic="task.created"}', "0 0 0 1x12")],
      evalTime: "15m",
      labels: { service: "audit", topic: "task.created" },
      value: "1",
    },
    healthy: { series: [s('events_dead_lettered_total{service="audit",topic="task.created"}', "0x15")], evalTime: "15m" },
  },
  {
    alert: "TasksDeadLetterDepthGrowing",
    firing: {
      series: [s('dapr_component_pubsub_ingress_count{app_id="audit",topic="task.created",process_status="drop"}', "0+1x60")],
      evalTime: "60m",
      labels: { app_id: "audit", topic: "task.created" },
      value: "60",
    },
    healthy: {
      series: [s('dapr_component_pubsub_ingress_count{app_id="audit",topic="task.created",process_status="drop"}', "0 0 0 1x57")],
      evalTime: "60m",
    },
  },
  {
    alert: "TasksReminderLate",
    firing: {
      series: buckets("reminder_lateness_seconds", 'service="notifications",channel="email"', { "5": "0x40", "+Inf": "0+3x40" }),
      evalTime: "30m",
      labels: {},
      value: "5",
    },
    healthy: {
      series: buckets("reminder_lateness_seconds", 'service="notifications",channel="email"', {
        "1": "0+3x40",
        "5": "0+3x40",
        "+Inf": "0+3x40",
      }),
      evalTime: "30m",
    },
  },
  {
    alert: "TasksEventProcessingFailures",
    firing: {
      series: [s('events_failed_total{service="notifications",topic="task.updated",stage="consume"}', "0+12x40")],
      evalTime: "30m",
      labels: { service: "notifications", topic: "task.updated" },
      value: "0.2",
    },
    healthy: {
      series: [s('events_failed_total{service="notifications",topic="task.updated",stage="consume"}', "0+1x40")],
      evalTime: "30m",
    },
  },
  {
    alert: "TasksCircuitBreakerOpen",
    firing: {
      series: [s('dapr_resiliency_activations_total{app_id="recurrence",name="tasks-api",policy="circuitbreaker"}', "0 0 1x8")],
      evalTime: "10m",
      labels: { app_id: "recurrence", name: "tasks-api" },
      value: "1",
    },
    healthy: {
      series: [
        s('dapr_resiliency_activations_total{app_id="recurrence",name="tasks-api",policy="circuitbreaker"}', "0x10"),
        s('dapr_resiliency_activations_total{app_id="recurrence",name="tasks-api",policy="retry"}', "0+1x10"),
      ],
      evalTime: "10m",
    },
  },
  {
    alert: "TasksSmtpCircuitOpen",
    firing: { series: circuit(1), evalTime: "10m", labels: { service: "notifications" }, value: "1" },
    healthy: { series: circuit(0), evalTime: "10m" },
  },
  {
    alert: "TasksSmtpSendFailures",
    firing: {
      series: [smtp("sent", "0+3x40"), smtp("failed", "0+3x40"), smtp("rejected", "0x40"), smtp("circuit_open", "0x40")],
      evalTime: "30m",
      labels: { service: "notifications" },
      value: "0.5",
    },
    healthy: {
      series: [smtp("sent", "0+30x40"), smtp("failed", "0+1x40"), smtp("rejected", "0+1x40"), smtp("circuit_open", "0x40")],
      evalTime: "30m",
    },
  },
];

/** Go's %.4g, as Prometheus's humanize prints a number below 1000. */
const fourSignificant = (v: number): string => String(Number(v.toPrecision(4)));

/** The alert's annotations as Prometheus renders them for `labels` and `value` (the template forms the rules use). */
export function renderAnnotations(rule: AlertRule, labels: Readonly<Record<string, string>>, value: string): Record<string, string> {
  const render = (t: string) =>
    t
      .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? "")
      .replace(/\{\{ \$value \| humanizePercentage \}\}/g, () => `${fourSignificant(Number(value) * 100)}%`)
      .replace(/\{\{ \$value \}\}/g, value);
  return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v)]));
}

/** The promtool test file (`promtool test rules`) for the rules file `rulesFile`: one firing and one healthy test per alert. */
export function promtoolTestFile(rulesFile: string, rules: readonly AlertRule[], tests: readonly AlertTest[] = alertTests) {
  const ruleOf = (alert: string) => {
    const r = rules.find((x) => x.alert === alert);
    if (!r) throw new Error(`alert test for "${alert}", which no rule defines`);
    return r;
  };
  return {
    rule_files: [rulesFile],
    evaluation_interval: "30s",
    tests: tests.flatMap((t) => {
      const rule = ruleOf(t.alert);
      const labels = { ...t.firing.labels, severity: rule.labels.severity };
      return [
        {
          name: `${t.alert} fires`,
          interval: "1m",
          input_series: t.firing.series,
          alert_rule_test: [
            {
              eval_time: t.firing.evalTime,
              alertname: t.alert,
              exp_alerts: [{ exp_labels: labels, exp_annotations: renderAnnotations(rule, t.firing.labels, t.firing.value) }],
            },
          ],
        },
        {
          name: `${t.alert} stays silent on a healthy platform`,
          interval: "1m",
          input_series: t.healthy.series,
          alert_rule_test: [{ eval_time: t.healthy.evalTime, alertname: t.alert, exp_alerts: [] }],
        },
      ];
    }),
  };
}

/** Alerts without a test; empty when every alert of ours has one. */
export const untestedAlerts = (): string[] => alertDefinitions.map((a) => a.alert).filter((a) => !alertTests.some((t) => t.alert === a));
