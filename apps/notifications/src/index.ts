export { createNotificationsApp, archiveRoute, type NotificationsAppDeps } from "./app.js";
export { basePath } from "./api/router.js";
export { jobsClient, JobsApiError, type JobsClient, type JobSpec } from "./jobs/client.js";
export { reminderJobName, deferralJobName, parseJobName, snoozeJobName, digestJobName, isDigestJobName } from "./jobs/naming.js";
export { quietHoursEnd, type QuietHours } from "./quiet-hours.js";
export { smtpSender, type EmailSender } from "./delivery/email.js";
export { CircuitBreaker, CircuitOpenError, circuitBreakingSender, isSmtpOutage, type CircuitState } from "./delivery/circuit-breaker.js";
export { webPushSender, type PushSender } from "./delivery/push.js";
export { migrations } from "../migrations/index.js";
