/* The portal's service worker. It keeps one thing offline: a page that says the portal needs
   a connection (plus its style and icon). No page, answer or record of the patient is ever
   put in a cache: every other request goes to the network untouched. */
"use strict";
const CACHE = "dosewise-portal-{{ version }}";
const OFFLINE_URL = "{% url 'portal:offline' %}";
const SHELL = [OFFLINE_URL, "{{ css_url }}", "{{ icon_url }}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Network only; the offline page when there is no network at all.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  // The server sends only detail-free text; a missing payload still shows the neutral reminder.
  const title = data.title || "{{ fallback_title|escapejs }}";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "{{ fallback_body|escapejs }}",
    icon: "{{ icon_url }}",
    badge: "{{ icon_url }}",
    data: {url: data.url || "{% url 'portal:home' %}"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data && event.notification.data.url || "{% url 'portal:home' %}",
                         self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then((windows) => {
    for (const w of windows) {
      if (new URL(w.url).pathname.startsWith("{% url 'portal:home' %}") && "focus" in w) {
        w.navigate(target.href);
        return w.focus();
      }
    }
    return self.clients.openWindow(target.href);
  }));
});
