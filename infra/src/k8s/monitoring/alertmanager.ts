/**
 * Alertmanager's routing, built from the stack's config: who is told, through what, about which alerts.
 * Secrets (the SMTP password, the chat webhook's URL, the heartbeat's credential) are never in the config: it names files that
 * the Alertmanager pod mounts (from Key Vault through the Secrets Store CSI driver on AKS).
 */

export interface AlertRouting {
  /** Email to these addresses through the stack's SMTP relay. */
  readonly email: {
    readonly to: readonly string[];
    readonly from: string;
    /** `host:port` of the relay. */
    readonly smarthost: string;
    /** Relay login; its password is read from `passwordFile`. Absent: no authentication (a local mail catcher). */
    readonly auth?: { readonly username: string; readonly passwordFile: string };
    /** STARTTLS required (every real relay); false only for a local mail catcher. */
    readonly requireTls: boolean;
  };
  /**
   * A chat webhook in Slack's incoming-webhook format (Slack, Mattermost, Rocket.Chat): a file holding its URL.
   * Gets critical and warning alerts. (Alertmanager's msteams and generic-webhook `url_file` need 0.26+, which
   * Debian's amtool 0.25 that checks this config in CI cannot read.)
   */
  readonly chatWebhookUrlFile?: string;
  /**
   * The dead-man's switch: an external heartbeat monitor (e.g. an Opsgenie heartbeat ping) that pages when the
   * always-firing Watchdog stops arriving. Its URL is not secret; its credential is read from a file.
   */
  readonly heartbeat?: { readonly url: string; readonly authorization: { readonly type: string; readonly credentialsFile: string } };
}

/** Receiver names, for tests and the docs. */
export const receivers = { none: "null", heartbeat: "heartbeat", critical: "critical", warning: "warning" } as const;

const emailConfig = (e: AlertRouting["email"], severity: string) => ({
  to: e.to.join(", "),
  from: e.from,
  smarthost: e.smarthost,
  require_tls: e.requireTls,
  ...(e.auth ? { auth_username: e.auth.username, auth_password_file: e.auth.passwordFile } : {}),
  send_resolved: true,
  headers: { Subject: `[${severity}] {{ .CommonLabels.alertname }} ({{ .Alerts.Firing | len }} firing)` },
});

const chat = (file: string) => ({
  api_url_file: file,
  send_resolved: true,
  title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.service }}",
  text: "{{ range .Alerts }}{{ .Annotations.summary }}: {{ .Annotations.description }}\n{{ end }}",
});

/**
 * The Alertmanager configuration:
 * - routes by severity: critical to email and the chat webhook (repeated every hour), warning to the chat webhook (email
 *   when there is none, every 4 hours); grouped by alert name and service, so one failing service is one message;
 * - the chart's always-firing Watchdog to the heartbeat monitor every minute (the dead-man's switch: silence
 *   there means the alerting pipeline is down), or nowhere without one; InfoInhibitor and info alerts nowhere;
 * - inhibition: a critical alert mutes the warnings of the same alert name and service; a stalled consumer
 *   mutes its lag alerts; the chart's InfoInhibitor mutes info alerts.
 */
export function alertmanagerConfig(r: AlertRouting): Record<string, unknown> {
  const warning = r.chatWebhookUrlFile
    ? { slack_configs: [chat(r.chatWebhookUrlFile)] }
    : { email_configs: [emailConfig(r.email, "warning")] };
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: receivers.critical,
      group_by: ["alertname", "service", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        {
          receiver: r.heartbeat ? receivers.heartbeat : receivers.none,
          matchers: ['alertname = "Watchdog"'],
          group_wait: "0s",
          group_interval: "1m",
          repeat_interval: "1m",
        },
        { receiver: receivers.none, matchers: ['alertname = "InfoInhibitor"'] },
        { receiver: receivers.critical, matchers: ['severity = "critical"'], repeat_interval: "1h" },
        { receiver: receivers.warning, matchers: ['severity = "warning"'], repeat_interval: "4h" },
        { receiver: receivers.none, matchers: ['severity = "info"'] },
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity = "warning"'], equal: ["alertname", "service"] },
      {
        source_matchers: ['alertname = "TasksConsumerStalled"'],
        target_matchers: ['alertname =~ "TasksConsumerLagHigh|TasksConsumerGroupLagHigh"'],
        equal: ["service"],
      },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
    ],
    receivers: [
      { name: receivers.none },
      ...(r.heartbeat
        ? [
            {
              name: receivers.heartbeat,
              webhook_configs: [
                {
                  url: r.heartbeat.url,
                  send_resolved: false,
                  http_config: {
                    authorization: { type: r.heartbeat.authorization.type, credentials_file: r.heartbeat.authorization.credentialsFile },
                  },
                },
              ],
            },
          ]
        : []),
      {
        name: receivers.critical,
        email_configs: [emailConfig(r.email, "critical")],
        ...(r.chatWebhookUrlFile ? { slack_configs: [chat(r.chatWebhookUrlFile)] } : {}),
      },
      { name: receivers.warning, ...warning },
    ],
  };
}

/** Problems with the routing input, each naming the field; empty when valid. */
export function alertRoutingProblems(r: AlertRouting): string[] {
  const problems: string[] = [];
  if (r.email.to.length === 0) problems.push("email.to: at least one address receives the alerts");
  if (r.heartbeat && !/^https:\/\//.test(r.heartbeat.url))
    problems.push(`heartbeat.url: expected an https:// URL, got "${r.heartbeat.url}"`);
  if (!/^[^\s:]+:\d+$/.test(r.email.smarthost)) problems.push(`email.smarthost: expected "host:port", got "${r.email.smarthost}"`);
  for (const [field, file] of [
    ["email.auth.passwordFile", r.email.auth?.passwordFile],
    ["chatWebhookUrlFile", r.chatWebhookUrlFile],
    ["heartbeat.authorization.credentialsFile", r.heartbeat?.authorization.credentialsFile],
  ] as const) {
    if (file !== undefined && !file.startsWith("/"))
      problems.push(`${field}: expected an absolute path in the Alertmanager pod, got "${file}"`);
  }
  return problems;
}
