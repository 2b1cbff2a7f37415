/* The portal's own script: registers the service worker (installable app, offline page) and,
   on the Reminders page, turns push notifications on and off for this device. */
"use strict";
(function () {
  const root = document.documentElement;
  const swUrl = root.dataset.swUrl;
  if ("serviceWorker" in navigator && swUrl) {
    navigator.serviceWorker.register(swUrl, {scope: root.dataset.swScope}).catch(() => {});
  }

  const panel = document.getElementById("push-panel");
  if (!panel) return;
  const status = document.getElementById("push-status");
  const on = document.getElementById("push-on");
  const off = document.getElementById("push-off");
  const say = (text) => { status.textContent = text; };
  const csrf = panel.querySelector("input[name=csrfmiddlewaretoken]").value;

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(body)})
      .then((r) => r.json().then((data) => ({ok: r.ok, data: data})));
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(panel.dataset.msgUnsupported);
    on.hidden = true;
    return;
  }

  function showState(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  navigator.serviceWorker.ready.then((reg) => reg.pushManager.getSubscription()).then((sub) => {
    const known = sub && panel.dataset.endpoints.split(" ").includes(sub.endpoint);
    showState(Boolean(known));
    if (known) say(panel.dataset.msgOn);
  });

  on.addEventListener("click", () => {
    on.disabled = true;
    Notification.requestPermission().then((permission) => {
      if (permission !== "granted") { say(panel.dataset.msgDenied); on.disabled = false; return null; }
      return navigator.serviceWorker.ready
        .then((reg) => reg.pushManager.subscribe({userVisibleOnly: true,
                                                   applicationServerKey: keyBytes(panel.dataset.vapidKey)}))
        .then((sub) => {
          const json = sub.toJSON();
          return post(panel.dataset.subscribeUrl, {endpoint: json.endpoint, p256dh: json.keys.p256dh,
                                                   auth: json.keys.auth, device: navigator.userAgent.slice(0, 120)});
        })
        .then((answer) => {
          on.disabled = false;
          if (answer.ok) { window.location.reload(); } else { say(answer.data.error || panel.dataset.msgFailed); }
        });
    }).catch(() => { on.disabled = false; say(panel.dataset.msgFailed); });
  });

  off.addEventListener("click", () => {
    navigator.serviceWorker.ready.then((reg) => reg.pushManager.getSubscription()).then((sub) => {
      if (!sub) { showState(false); return null; }
      const endpoint = sub.endpoint;
      return sub.unsubscribe().then(() => post(panel.dataset.unsubscribeUrl, {endpoint: endpoint}))
        .then(() => window.location.reload());
    }).catch(() => say(panel.dataset.msgFailed));
  });
})();
