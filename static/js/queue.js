// Hearth moderation queue: live updates over /ws/moderation (progressive enhancement).
// New items are fetched as server-rendered fragments and inserted at their priority
// place; imminent/high crises raise a role="alert" banner (and a short tone if allowed).
(function () {
  "use strict";
  var list = document.getElementById("queue");
  if (!list || !window.WebSocket) return;
  var live = document.getElementById("q-live");
  var banner = document.getElementById("q-alert");
  var empty = document.getElementById("q-empty");
  var ws = null, attempt = 0;
  var RANK = {imminent: 3, high: 2, low: 1};

  function setLive(state, text) { live.dataset.state = state; live.textContent = text; }
  function priorityOf(f) { return typeof f.priority === "number" ? f.priority : (RANK[f.severity] || 0); }
  function refreshEmpty() { empty.hidden = list.querySelector("li.q-item") !== null; }

  // Crisis first, then oldest first: the same order as the server's query.
  function insert(li) {
    var p = parseInt(li.dataset.priority, 10), created = li.dataset.created;
    var items = list.querySelectorAll("li.q-item");
    for (var i = 0; i < items.length; i++) {
      var q = parseInt(items[i].dataset.priority, 10);
      if (q < p || (q === p && items[i].dataset.created > created)) { list.insertBefore(li, items[i]); return; }
    }
    list.appendChild(li);
  }
  function fetchItem(id) {
    return fetch("/moderation/flags/" + id + "?fragment=1", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var tpl = document.createElement("template"); tpl.innerHTML = html.trim();
        var li = tpl.content.querySelector("li.q-item"); if (!li) return;
        var old = document.getElementById("f" + id);
        if (old) old.remove();
        insert(li); refreshEmpty(); tick();
      });
  }
  function alertFor(f) {
    var p = priorityOf(f);
    if (p < 2) return;
    var what = f.source === "report" ? "Report: someone may be at risk" : (p === 3 ? "Imminent crisis" : "High crisis");
    banner.textContent = what + " in " + f.room + " (item #" + f.flag_id + "). ";
    var a = document.createElement("a"); a.href = "#f" + f.flag_id; a.textContent = "Go to it";
    banner.appendChild(a); banner.hidden = false;
    beep();
  }
  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext; if (!Ctx) return;
      var ctx = new Ctx(), osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.1;
      osc.connect(gain); gain.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* sound is optional; the banner is the alert */ }
  }
  function claimed(f) {
    var li = document.getElementById("f" + f.flag_id); if (!li) return;
    var c = li.querySelector(".q-claim");
    if (c) c.textContent = "Claimed by " + f.by + (f.until ? " until " + new Date(f.until).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"}) : "");
  }
  function closed(f) {
    var li = document.getElementById("f" + f.flag_id);
    if (li) li.remove();
    refreshEmpty();
  }
  function onFrame(ev) {
    var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
    if (f.type === "flag") { alertFor(f); fetchItem(f.flag_id).catch(function () {}); }
    else if (f.type === "claimed") claimed(f);
    else if (f.type === "closed") closed(f);
    else if (f.type === "resynced") resync();
  }
  // After a drop: take the server's current queue, keeping items being worked on here.
  function resync() {
    fetch("/moderation", {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelectorAll("#queue > li.q-item"), open = {};
      Array.prototype.forEach.call(fresh, function (li) {
        open[li.id] = true;
        if (!document.getElementById(li.id)) insert(document.importNode(li, true));
      });
      Array.prototype.forEach.call(list.querySelectorAll("li.q-item"), function (li) { if (!open[li.id]) li.remove(); });
      refreshEmpty(); tick();
    }).catch(function () {});
  }
  // "raised N min ago", kept current without a reload.
  function tick() {
    var now = Date.now();
    Array.prototype.forEach.call(list.querySelectorAll("time.q-timer"), function (t) {
      var then = Date.parse(t.getAttribute("datetime"));
      if (isNaN(then)) return;
      var mins = Math.max(0, Math.floor((now - then) / 60000));
      t.textContent = mins < 60 ? mins + " min ago" : Math.floor(mins / 60) + " h " + (mins % 60) + " min ago";
    });
  }
  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/ws/moderation");
    ws.onopen = function () { if (attempt > 0) resync(); attempt = 0; setLive("connected", "Live"); };
    ws.onmessage = onFrame;
    ws.onclose = function (ev) {
      ws = null;
      if (ev.code === 4401 || ev.code === 4403 || ev.code === 4003) { setLive("offline", "Disconnected: " + (ev.reason || "not allowed")); return; }
      setLive("reconnecting", "Reconnecting…");
      var cap = Math.min(30000, 500 * Math.pow(2, attempt++));
      setTimeout(connect, Math.random() * cap);
    };
  }
  tick();
  setInterval(tick, 15000);
  connect();
})();
