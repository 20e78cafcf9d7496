/** The platform's public APIs, with the bearer token; errors as problem+json become ApiError (field messages kept). */
// No DOM types here (only fetch): the services tier tests this module under Node.

/** What the API calls need of the signed-in session (auth.ts Auth). */
export interface Session {
  accessToken(): Promise<string>;
  /** Renews the access token after a 401; false when the session has ended. */
  renew(): Promise<boolean>;
}

/** Base URL per API; "" = the web origin (config.ts RuntimeConfig.apiBase). */
export interface ApiBases {
  readonly tasks: string;
  readonly notifications: string;
  readonly audit: string;
}

/** A browser's PushSubscription.toJSON(), as the notifications API takes it. */
export interface PushSubscriptionBody {
  endpoint?: string;
  keys?: Record<string, string>;
}

export type Priority = "low" | "medium" | "high" | "urgent";
export type Status = "open" | "completed" | "skipped";

export interface Task {
  id: string;
  title: string;
  description: string | null;
  priority: Priority;
  status: Status;
  tags: string[];
  dueAt: string | null;
  timeZone: string | null;
  /** null = not set: the user's default reminder applies (notifications preferences). */
  reminders: number[] | null;
  recurrence: string | null;
  seriesId: string | null;
  occurrenceAt: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export type TaskInput = Partial<
  Pick<Task, "title" | "description" | "priority" | "tags" | "dueAt" | "timeZone" | "reminders" | "recurrence">
>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Notification {
  id: string;
  taskId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface Preferences {
  channels: { email: boolean; inapp: boolean; push: boolean };
  remindersEnabled: boolean;
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  defaultReminderMinutes: number | null;
  email: string | null;
}

export interface AuditEntry {
  id: string;
  taskId: string;
  action: string;
  actor: string;
  before: unknown;
  after: unknown;
  occurredAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    private readonly apiBase: ApiBases,
    private readonly session: Session,
  ) {}

  private async call<T>(base: string, path: string, init: RequestInit = {}, retried = false): Promise<T> {
    const token = await this.session.accessToken();
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: {
        accept: "application/json",
        authorization: `Bearer ${token}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
    });
    if (res.status === 401 && !retried && (await this.session.renew())) return this.call(base, path, init, true);
    if (res.status === 204) return undefined as T;
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const errors = Array.isArray(body.errors) ? (body.errors as { field: string; message: string }[]) : [];
      throw new ApiError(res.status, String(body.detail ?? body.title ?? `HTTP ${res.status}`), errors);
    }
    return body as T;
  }

  private tasks = <T>(path: string, init?: RequestInit) => this.call<T>(this.apiBase.tasks, `/api/v1/tasks${path}`, init);
  private notes = <T>(path: string, init?: RequestInit) => this.call<T>(this.apiBase.notifications, `/api/v1/notifications${path}`, init);

  listTasks = (query: URLSearchParams) => this.tasks<Page<Task>>(`?${query}`);
  getTask = (id: string) => this.tasks<Task>(`/${id}`);
  createTask = (input: TaskInput) => this.tasks<Task>("", { method: "POST", body: JSON.stringify(input) });
  updateTask = (id: string, patch: TaskInput) => this.tasks<Task>(`/${id}`, { method: "PATCH", body: JSON.stringify(patch) });
  deleteTask = (id: string) => this.tasks<void>(`/${id}`, { method: "DELETE" });
  completeTask = (id: string) => this.tasks<Task>(`/${id}/complete`, { method: "POST" });
  reopenTask = (id: string) => this.tasks<Task>(`/${id}/reopen`, { method: "POST" });

  listNotifications = (cursor?: string) =>
    this.notes<Page<Notification>>(`?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  unreadCount = () => this.notes<{ count: number }>("/unread-count");
  markRead = (id: string) => this.notes<void>(`/${id}/read`, { method: "POST" });
  markAllRead = () => this.notes<{ updated: number }>("/read-all", { method: "POST" });
  preferences = () => this.notes<Preferences>("/preferences");
  savePreferences = (patch: Partial<Preferences>) =>
    this.notes<Preferences>("/preferences", { method: "PATCH", body: JSON.stringify(patch) });
  /** The VAPID public key the notifications service signs pushes with: the subscription's applicationServerKey. */
  pushPublicKey = async () => (await this.notes<{ publicKey: string }>("/push/public-key")).publicKey;
  subscribePush = (sub: PushSubscriptionBody) =>
    this.notes<{ id: string }>("/push-subscriptions", { method: "POST", body: JSON.stringify(sub) });
  unsubscribePush = (id: string) => this.notes<void>(`/push-subscriptions/${id}`, { method: "DELETE" });

  audit = (taskId: string, cursor?: string) =>
    this.call<Page<AuditEntry>>(
      this.apiBase.audit,
      `/api/v1/audit?taskId=${taskId}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
}
