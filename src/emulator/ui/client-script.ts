/**
 * The viewer page's browser script, as text inlined into the page. It only lays out what the server
 * precomputed (`/deliveries?view=1` carries `rendered`), and writes payload text with textContent only.
 * Plain ES2020; no template literals inside, so this file can be one String.raw literal.
 */
export const VIEWER_SCRIPT = String.raw`
"use strict";
(function () {
  var REFRESH_MS = 2000;
  var PLATFORM_NAMES = { apns: "iOS", fcmv1: "Android", gcm: "Android", wns: "Windows", browser: "Web" };
  var state = { hub: "", lastKey: "", seen: null, timer: 0, busy: false, refreshes: 0 };
  var app = document.getElementById("app");
  var statusLine = document.getElementById("status");
  var hubSelect = document.getElementById("hub-filter");
  var autoBox = document.getElementById("auto-refresh");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null) return;
      if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function clockTime(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
  }

  function platformBadge(platform) {
    var known = PLATFORM_NAMES[platform] ? platform : "other";
    return el("span", { class: "badge badge-" + known, "data-role": "platform", text: PLATFORM_NAMES[platform] || platform });
  }

  function headerList(headers) {
    var names = Object.keys(headers || {});
    if (names.length === 0) return null;
    var list = el("dl", { class: "headers", "data-role": "headers" });
    names.forEach(function (name) {
      list.appendChild(el("dt", { text: name }));
      list.appendChild(el("dd", { text: headers[name] }));
    });
    return list;
  }

  function notificationView(delivery, view) {
    var platformClass = { "ios-banner": "ios", "android-notification": "android", "windows-toast": "windows",
      "browser-notification": "browser", data: "data" }[view.kind] || "data";
    var head = el("div", { class: "notif-head" }, [
      el("span", { class: "app-icon" }),
      el("span", { class: "app-name", "data-role": "app-name", text: view.kind === "data" ? delivery.platform + " · data" : (view.appName || (view.bridge && view.bridge.targetHostName) || delivery.hub) }),
      el("span", { class: "notif-time", text: clockTime(delivery.receivedAt) }),
    ]);
    var title = view.kind === "data" ? view.label : view.title;
    return el("div", { class: "notif " + platformClass }, [
      head,
      title ? el("div", { class: "notif-title", "data-role": "title", text: title }) : null,
      view.subtitle ? el("div", { class: "notif-subtitle", "data-role": "subtitle", text: view.subtitle }) : null,
      view.body ? el("div", { class: "notif-body", "data-role": "body", text: view.body }) : null,
    ]);
  }

  function deliveryView(delivery, fresh) {
    var view = delivery.rendered || { kind: "data", label: "Push", headers: delivery.headers, data: delivery.body, problems: [] };
    var payload = view.data ? el("pre", { class: "payload", "data-role": "data", text: view.data }) : null;
    var problems = (view.problems || []).length === 0 ? null : el("ul", { class: "problems", "data-role": "problems" },
      view.problems.map(function (problem) { return el("li", { text: problem }); }));
    var bridge = view.bridge;
    return el("div", { class: "delivery" + (fresh ? " fresh" : "") + (view.replacedBy ? " replaced" : ""), "data-testid": "delivery-" + delivery.id, "data-kind": view.kind }, [
      view.replacedBy ? el("div", { class: "replaced-note", "data-role": "replaced", title: "replaced by delivery " + view.replacedBy,
        text: "Replaced: a later notification with the same replace key took its place on the device" }) : null,
      notificationView(delivery, view),
      el("div", { class: "delivery-meta" }, [
        el("time", { "data-role": "received", datetime: delivery.receivedAt, title: delivery.receivedAt, text: "received " + clockTime(delivery.receivedAt) }),
        el("span", { text: view.label }),
        bridge && bridge.targetHostName ? el("span", { "data-role": "bridge-app", title: "the app it is for (targetHostName)", text: "app " + bridge.targetHostName }) : null,
        bridge ? el("span", { "data-role": "bridge-id", title: "the bridge's notification id (GET /beta/me/notifications/{id})", text: "notification " + bridge.notificationId }) : null,
        el("span", { "data-role": "hub-id", title: "Notification Hubs notification id", text: "NH #" + delivery.notificationId }),
        view.feedState ? el("span", { class: "feed-state", "data-role": "feed-state", title: "read and action state in the user's feed",
          text: view.feedState.readState + " · " + view.feedState.userActionState }) : null,
        view.feedSync ? el("span", { class: "feed-state", "data-role": "feed-sync", title: "feed items whose state changed",
          text: view.feedSync.map(function (c) { return c.id.slice(-8) + " → " + c.readState + " · " + c.userActionState; }).join(", ") }) : null,
      ]),
      problems,
      headerList(view.headers),
      view.kind === "data" || !payload ? payload : el("details", {}, [el("summary", { text: "Payload data" }), payload]),
    ]);
  }

  function tagValue(tags, prefix) {
    for (var i = 0; i < tags.length; i++) if (tags[i].indexOf(prefix) === 0) return tags[i].slice(prefix.length);
    return "";
  }

  function deviceCard(device, deliveries) {
    var feed = el("div", { class: "feed" });
    if (deliveries.length === 0) feed.appendChild(el("p", { class: "feed-empty", text: "No notifications received yet" }));
    deliveries.forEach(function (delivery) {
      feed.appendChild(deliveryView(delivery, state.seen !== null && !state.seen[delivery.id]));
    });
    // Installations the bridge registered carry their client app and host as gnb-app:/gnb-host: tags.
    var app = tagValue(device.tags, "gnb-app:"), host = tagValue(device.tags, "gnb-host:");
    var meta = (PLATFORM_NAMES[device.platform] || device.platform) + " · " + device.platform +
      (device.userId ? " · user " + device.userId : "") + (app ? " · app " + app : "") + (host ? " · for " + host : "");
    return el("article", { class: "device", "data-testid": device.testId, "data-platform": device.platform }, [
      el("div", { class: "device-head" }, [
        platformBadge(device.platform),
        el("div", {}, [el("div", { class: "device-id", "data-role": "device-id", text: device.label }), el("div", { class: "device-meta", "data-role": "device-meta", text: meta })]),
        el("span", { class: "count", title: "notifications received", text: String(deliveries.length) }),
      ]),
      device.tags.length === 0 ? null : el("ul", { class: "tags", "data-role": "tags" },
        device.tags.map(function (tag) { return el("li", { class: "tag", text: tag }); })),
      feed,
    ]);
  }

  function devicesOfHub(hub, installations, deliveries) {
    var devices = installations.filter(function (i) { return i.hub === hub; }).map(function (i) {
      return { key: "i:" + i.installationId, testId: "device-" + i.installationId, label: i.installationId,
        platform: i.platform, userId: i.userId || "", tags: i.tags || [], items: [] };
    });
    var byKey = {};
    devices.forEach(function (d) { byKey[d.key] = d; });
    deliveries.filter(function (d) { return d.hub === hub; }).forEach(function (d) {
      var key = d.installationId && byKey["i:" + d.installationId] ? "i:" + d.installationId : "h:" + d.deviceHandle;
      if (!byKey[key]) {
        byKey[key] = { key: key, testId: "direct-" + d.deviceHandle, label: "Direct send to " + d.deviceHandle,
          platform: d.platform, userId: d.userId || "", tags: [], items: [] };
        devices.push(byKey[key]);
      }
      byKey[key].items.push(d);
    });
    return devices;
  }

  function noDevicesHelp(hub) {
    return el("div", { class: "empty-page", "data-testid": "no-devices" }, [
      el("p", { text: "No devices are registered" + (hub ? " in hub " + hub : "") + ", so nothing can arrive here yet. To see notifications:" }),
      el("ol", {}, [
        el("li", { text: "Register demo devices: run the register-demo-devices command that npm start printed (node dist/src/demo/register-demo-devices.js --user demo-user --bridge <the bridge's URL>)," }),
        el("li", { text: "or have your app register its installation through the bridge (PUT /bridge/me/installations/{id}, docs/clients.md), or with the Notification Hubs SDK and this emulator's connection string (docs/emulator.md);" }),
        el("li", { text: "then send a legacy notification to the bridge with X-UNS-ID set to that user. This page refreshes by itself." }),
      ]),
    ]);
  }

  function hubSection(hub, installations, deliveries) {
    var devices = devicesOfHub(hub, installations, deliveries);
    var received = devices.reduce(function (n, d) { return n + d.items.length; }, 0);
    var section = el("section", { class: "hub", "data-testid": "hub-" + hub }, [
      el("h2", {}, [el("span", { text: "Hub " + hub }), el("small", { text: devices.length + " devices · " + received + " notifications" })]),
      devices.length === 0 ? noDevicesHelp(hub) : null,
    ]);
    var users = [];
    devices.forEach(function (d) { if (users.indexOf(d.userId) < 0) users.push(d.userId); });
    users.sort(function (a, b) { return a === "" ? 1 : b === "" ? -1 : a.localeCompare(b); });
    users.forEach(function (userId) {
      var mine = devices.filter(function (d) { return d.userId === userId; });
      section.appendChild(el("div", { class: "user-group", "data-testid": "user-" + userId }, [
        el("h3", {}, [el("span", { text: userId ? "User " + userId : "No user id" }), el("small", { text: " · " + mine.length + " devices" })]),
        el("div", { class: "devices" }, mine.map(function (d) { return deviceCard(d, d.items); })),
      ]));
    });
    return section;
  }

  function allHubs(listed, installations, deliveries) {
    var hubs = listed.slice();
    installations.concat(deliveries).forEach(function (x) { if (hubs.indexOf(x.hub) < 0) hubs.push(x.hub); });
    return hubs.sort();
  }

  function updateHubChoices(hubs) {
    var wanted = [""].concat(hubs);
    var have = Array.prototype.map.call(hubSelect.options, function (o) { return o.value; });
    if (have.join("\n") === wanted.join("\n")) return;
    hubSelect.replaceChildren.apply(hubSelect, wanted.map(function (hub) {
      return el("option", { value: hub, text: hub === "" ? "All hubs" : hub });
    }));
    hubSelect.value = wanted.indexOf(state.hub) >= 0 ? state.hub : "";
  }

  function render(data) {
    var hubs = allHubs(data.hubs, data.installations, data.deliveries);
    updateHubChoices(hubs);
    var shown = state.hub ? hubs.filter(function (h) { return h === state.hub; }) : hubs;
    var sections = shown.map(function (hub) { return hubSection(hub, data.installations, data.deliveries); });
    if (sections.length === 0) sections = [noDevicesHelp("")];
    app.replaceChildren.apply(app, sections);
    state.seen = {};
    data.deliveries.forEach(function (d) { state.seen[d.id] = true; });
  }

  function getJson(url) {
    return fetch(url, { cache: "no-store" }).then(function (res) {
      if (!res.ok) throw new Error(url + " answered " + res.status);
      return res.json();
    });
  }

  function refresh() {
    clearTimeout(state.timer);
    if (state.busy) return;
    state.busy = true;
    Promise.all([getJson("installations"), getJson("deliveries?view=1")]).then(function (results) {
      var data = { hubs: results[0].hubs || [], installations: results[0].installations || [], deliveries: results[1].deliveries || [] };
      var dropped = results[1].droppedDeliveries || 0;
      var key = JSON.stringify(data) + "|" + state.hub;
      if (key !== state.lastKey) { render(data); state.lastKey = key; }
      statusLine.className = "status";
      statusLine.textContent = "Updated " + new Date().toLocaleTimeString() + " · " + data.installations.length +
        " installations · " + data.deliveries.length + " notifications" +
        (dropped > 0 ? " · " + dropped + " older ones no longer kept (the emulator keeps the latest)" : "");
    }).catch(function (error) {
      statusLine.className = "status error";
      statusLine.textContent = "Cannot reach the emulator: " + error.message;
    }).then(function () {
      state.busy = false;
      state.refreshes += 1;
      app.setAttribute("data-refreshes", String(state.refreshes));
      if (autoBox.checked) state.timer = setTimeout(refresh, REFRESH_MS);
    });
  }

  document.getElementById("refresh").addEventListener("click", refresh);
  autoBox.addEventListener("change", function () { if (autoBox.checked) refresh(); else clearTimeout(state.timer); });
  hubSelect.addEventListener("change", function () { state.hub = hubSelect.value; state.lastKey = ""; refresh(); });
  refresh();
})();
`;
