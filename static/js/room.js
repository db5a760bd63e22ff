// Hearth live room: progressive enhancement of the server-rendered page.
// Reconnects with full-jitter backoff, resumes with ?after=<last id>, retries
// unacknowledged sends with the same client_id, queues messages typed offline.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var form = document.getElementById("compose");
  if (!list || !window.WebSocket) return;
  var room = list.dataset.room, you = list.dataset.you;
  var lastId = parseInt(list.dataset.lastId || "0", 10);
  var stateEl = document.getElementById("link-state");
  var presenceEl = document.getElementById("presence");
  var newCount = document.getElementById("new-count");
  var crisisSlot = document.getElementById("crisis-slot");
  var ws = null, attempt = 0, pending = {}, order = [], resumed = false, fresh = 0, beat = null;
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) { seen[li.dataset.id] = true; });

  function setState(s, label) { stateEl.dataset.state = s; stateEl.textContent = label; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function timeText(iso) { var d = new Date(iso); return isNaN(d) ? "" : d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"}); }

  function render(m, li) {
    li = li || el("li", "msg");
    li.textContent = "";
    li.appendChild(el("span", "msg-author", m.author));
    var t = el("time", null, m.created_at ? timeText(m.created_at) : "");
    if (m.created_at) t.setAttribute("datetime", m.created_at);
    li.appendChild(t);
    if (m.state) li.appendChild(el("span", "msg-state", m.state));
    li.appendChild(el("p", "msg-text", m.text));
    return li;
  }
  function insertById(li, id) {
    var items = list.querySelectorAll("li[data-id]");
    for (var i = items.length - 1; i >= 0; i--) {
      if (parseInt(items[i].dataset.id, 10) < id) { items[i].after(li); return; }
    }
    list.prepend(li);
  }
  function onMessage(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    lastId = Math.max(lastId, m.id);
    var li = document.getElementById("c" + m.client_id);
    var data = {author: m.author.handle, text: m.text, created_at: m.created_at};
    if (li) { li.removeAttribute("data-state"); delete pending[m.client_id]; } else { li = el("li", "msg"); if (resumed) fresh++; }
    render(data, li);
    li.id = "m" + m.id; li.dataset.id = m.id;
    var rep = el("a", "msg-report", "Report"); rep.href = "/rooms/" + encodeURIComponent(room) + "/messages/" + m.id + "/report"; li.appendChild(rep);
    li.parentNode === list ? (li.remove(), insertById(li, m.id)) : insertById(li, m.id);
  }
  function showOwn(cid, text, state) {
    var li = document.getElementById("c" + cid) || el("li", "msg");
    li.id = "c" + cid; li.dataset.state = state;
    render({author: you, text: text, state: ({sending: "Sending…", sent: "Sent", held: "Held for review", failed: "Not sent"})[state]}, li);
    if (state === "failed") {
      var b = el("button", "link-button", "Retry"); b.type = "button";
      b.addEventListener("click", function () { sendFrame(cid); });
      li.appendChild(b);
    }
    if (!li.parentNode) list.appendChild(li);
  }
  function sendFrame(cid) {
    var p = pending[cid]; if (!p) return;
    showOwn(cid, p.text, "sending");
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({type: "send", client_id: cid, text: p.text}));
  }
  function crisisCard(c) {
    var box = el("section", "crisis-card"); box.setAttribute("role", "region"); box.setAttribute("aria-label", "Support lines");
    box.appendChild(el("h2", null, c.headline)); box.appendChild(el("p", null, c.body));
    function link(ct, extra) { var a = el("a", "crisis-link " + (extra || ""), ct.label); a.href = ct.href; return a; }
    (c.emergency.contacts || []).forEach(function (ct) { box.appendChild(link(ct, "crisis-link--emergency")); });
    c.services.forEach(function (s) {
      box.appendChild(el("h3", null, s.name));
      s.contacts.forEach(function (ct) { box.appendChild(link(ct)); });
    });
    box.appendChild(el("p", null, c.closing)); box.appendChild(el("p", "hint", c.disclaimer));
    crisisSlot.textContent = ""; crisisSlot.appendChild(box);
    box.setAttribute("tabindex", "-1"); box.focus();
  }
  // Moderator check-ins/warnings (to the author) and crisis alerts (to the facilitator).
  function staffNotice(f) {
    var alert = f.type === "facilitator_alert" || f.kind === "warning";
    var box = el("section", "staff-notice"); box.setAttribute("role", alert ? "alert" : "status");
    box.appendChild(el("h2", null, f.type === "facilitator_alert" ? "Someone in " + f.room + " may be in crisis" : (f.kind === "warning" ? "A moderator's warning" : "A moderator is checking in")));
    box.appendChild(el("p", null, f.text || "No moderator is online right now. Please look in on the room and offer support."));
    crisisSlot.parentNode.insertBefore(box, crisisSlot);
  }
  function onFrame(ev) {
    var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
    if (f.type === "message") onMessage(f);
    else if (f.type === "ack") {
      var p = pending[f.client_id];
      if (p) { showOwn(f.client_id, p.text, f.status === "held" ? "held" : "sent"); if (f.status === "held") delete pending[f.client_id]; }
    } else if (f.type === "error" && f.client_id && pending[f.client_id]) {
      if (f.code === "rate_limited") setTimeout(function () { sendFrame(f.client_id); }, (f.retry_after || 1) * 1000);
      else { showOwn(f.client_id, pending[f.client_id].text, "failed"); }
    } else if (f.type === "replayed" || f.type === "resynced") {
      if (fresh > 0) { newCount.hidden = false; newCount.textContent = fresh + " new message" + (fresh > 1 ? "s" : ""); }
      fresh = 0; resumed = false;
      order.forEach(function (cid) { if (pending[cid]) sendFrame(cid); });
    } else if (f.type === "presence") presenceEl.textContent = f.count + " here";
    else if (f.type === "crisis_resources") crisisCard(f);
    else if (f.type === "message_removed") { var r = document.getElementById("m" + f.id); if (r) r.remove(); }
    else if (f.type === "staff_message" || f.type === "facilitator_alert") staffNotice(f);
  }
  function heartbeat() {
    clearTimeout(beat);
    beat = setTimeout(function () { if (ws) ws.close(); }, 60000);
  }
  function connect() {
    if (!navigator.onLine) { setState("offline", "Offline: messages will send when you reconnect"); return; }
    setState("reconnecting", attempt ? "Reconnecting…" : "Connecting…");
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/ws/rooms/" + encodeURIComponent(room) + "?after=" + lastId);
    ws.onopen = function () { attempt = 0; resumed = lastId > 0; setState("connected", "Connected"); heartbeat(); };
    ws.onmessage = function (ev) { heartbeat(); onFrame(ev); };
    ws.onclose = function (ev) {
      ws = null; clearTimeout(beat);
      if (ev.code === 4401 || ev.code === 4403 || ev.code === 4003 || ev.code === 4404) { setState("offline", "Disconnected: " + (ev.reason || "not allowed")); return; }
      var cap = Math.min(30000, 500 * Math.pow(2, attempt++));
      setState("reconnecting", "Reconnecting…");
      setTimeout(connect, Math.random() * cap);
    };
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var box = form.querySelector("textarea"), text = box.value.trim();
      if (!text) return;
      var cid = uuid(); pending[cid] = {text: text}; order.push(cid);
      box.value = "";
      showOwn(cid, text, "sending");
      sendFrame(cid);
    });
  }
  window.addEventListener("online", function () { if (!ws) { attempt = 0; connect(); } });
  window.addEventListener("offline", function () { setState("offline", "Offline: messages will send when you reconnect"); });
  connect();
})();
