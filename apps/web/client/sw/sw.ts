/** The service worker: shows Web Push reminders (apps/notifications' push payload) and focuses the app on click. */
export {};
declare const self: ServiceWorkerGlobalScope;

self.addEventListener("push", (event) => {
  const data = (event.data?.json() ?? {}) as { title?: string; body?: string; taskId?: string };
  event.waitUntil(
    self.registration.showNotification(data.title ?? "Task reminder", { body: data.body ?? "", data: { taskId: data.taskId } }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const taskId = (event.notification.data as { taskId?: string } | null)?.taskId;
  const url = taskId ? `/#/tasks/${taskId}` : "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((list) => {
      const open = list.find((c) => new URL(c.url).origin === self.location.origin);
      return open ? open.focus().then((c) => c.navigate(url)) : self.clients.openWindow(url);
    }),
  );
});
