// Meetings: remember the browser's time zone (cookie "tz", read by the server when the
// profile has none), tick countdowns, and follow hand/round/arrival/phase events live.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* old browser: times stay in the zone the server chose */ }

  function plural(n, unit) { return n + " " + unit + (n === 1 ? "" : "s"); }
  function countdown(start) {
    var left = Math.floor((start - Date.now()) / 1000);
    if (left <= 0) return "now";
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60);
    var parts = d ? [[d, "day"], [h, "hour"]] : [[h, "hour"], [m, "minute"]];
    var shown = parts.filter(function (p) { return p[0]; }).map(function (p) { return plural(p[0], p[1]); });
    return "in " + (shown.length ? shown.join(", ") : "less than a minute");
  }
  var clocks = document.querySelectorAll(".countdown[data-start]");
  function tick() {
    Array.prototype.forEach.call(clocks, function (el) {
      var start = Date.parse(el.dataset.start);
      if (!isNaN(start)) el.textContent = countdown(start);
    });
  }
  if (clocks.length) { tick(); setInterval(tick, 30000); }

  var box = document.getElementById("meeting");
  if (!box || box.dataset.joined !== "yes" || !window.WebSocket) return;
  function list(id, items, current) {
    var ol = document.getElementById(id); if (!ol) return;
    ol.textContent = "";
    items.forEach(function (h, i) {
      var li = document.createElement("li"); li.textContent = h;
      if (current === i + 1) { li.className = "current-turn"; li.setAttribute("aria-current", "step"); }
      ol.appendChild(li);
    });
  }
  function onEvent(f) {
    if (f.meeting !== undefined && String(f.meeting) !== box.dataset.meeting) return;
    if (f.type === "hand") list("hands", f.queue);
    else if (f.type === "meeting_arrival") {
      var p = document.getElementById("arrivals");
      if (p) p.textContent = f.handles.length + " here: " + f.handles.join(", ");
    } else if (f.type === "round") {
      var r = document.getElementById("round"); if (!r) return;
      r.textContent = "";
      var head = document.createElement("p");
      head.textContent = f.done ? "No round in progress." : f.kind + " round: " + f.current + "'s turn.";
      r.appendChild(head);
      if (!f.done) { var ol = document.createElement("ol"); ol.id = "round-order"; r.appendChild(ol); list("round-order", f.order, f.turn); }
    } else if (f.type === "meeting_phase" || f.type === "pinned" || f.type === "removed_from_room") {
      location.reload();  // the server renders the new state (and what this person may do)
    }
  }
  var attempt = 0;
  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + location.host + "/ws/rooms/" + encodeURIComponent(box.dataset.room) + "?after=999999999999");
    ws.onopen = function () { attempt = 0; };
    ws.onmessage = function (ev) { try { onEvent(JSON.parse(ev.data)); } catch (e) { /* ignore bad frames */ } };
    ws.onclose = function (ev) {
      if (ev.code >= 4000) return;  // not allowed in (any more): the page says why on reload
      setTimeout(connect, Math.random() * Math.min(30000, 500 * Math.pow(2, attempt++)));
    };
  }
  connect();
})();
