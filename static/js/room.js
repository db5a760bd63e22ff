// Hearth live room: progressive enhancement of the server-rendered page (docs/web-client.md).
// Reconnects with full-jitter backoff, resumes with ?after=<last id>, retries unacknowledged
// sends with the same client_id (the server never stores one twice), keeps messages typed
// offline in sessionStorage. Text always goes in with textContent, never as HTML.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  if (!list || !window.WebSocket || !window.JSON) return;
  var ACK_WAIT = 10000, SILENCE = 60000, CONFIRM = 5000, BASE = 500, CAP = 30000, MAX_TRIES = 3;
  var room = list.dataset.room, you = list.dataset.you;
  var lastId = parseInt(list.dataset.lastId || "0", 10) || 0;
  var form = document.getElementById("compose");
  var outboxEl = byId("outbox"), stateEl = byId("link-state"), presenceEl = byId("presence");
  var newCount = byId("new-count"), crisisSlot = byId("crisis-slot"), alerts = byId("alerts");
  var STORE = "hearth-outbox:" + room;
  var ws = null, attempt = 0, ready = false, everReady = false, stopped = false, fresh = 0;
  var silence = null, confirm = null, retry = null;
  var seen = {}, outbox = load();
  var LABEL = {queued: "Waiting for the connection", sending: "Sending…", sent: "Sent",
    held: "Held for review: only you can see it until a moderator has looked", failed: "Not sent"};

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function localTime(t) {
    var d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d)) t.textContent = d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  }
  function setState(s, label) { stateEl.dataset.state = s; stateEl.textContent = label; }
  // One assertive region for what a person must not miss; the log stays the only polite one.
  function announce(text) { alerts.textContent = ""; alerts.textContent = text; }

  // --- the outbox: own messages not yet in the log, kept across reloads -----------------
  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "[]").filter(function (e) { return e && e.cid && e.text; }); }
    catch (e) { return []; }
  }
  function save() {
    var keep = outbox.map(function (e) { return {cid: e.cid, text: e.text, failed: e.failed || null}; });
    try { sessionStorage.setItem(STORE, JSON.stringify(keep)); } catch (e) { /* private mode: memory only */ }
  }
  function find(cid) { for (var i = 0; i < outbox.length; i++) if (outbox[i].cid === cid) return outbox[i]; return null; }
  function drop(cid) {
    var e = find(cid);
    if (e) { clearTimeout(e.timer); outbox.splice(outbox.indexOf(e), 1); save(); }
  }
  function removeOwn(cid) {
    var li = byId("c" + cid);
    if (li) li.remove();
    outboxEl.hidden = !outboxEl.firstChild;
  }
  function showOwn(cid, text, state, why) {
    var li = byId("c" + cid) || el("li", "msg own");
    li.id = "c" + cid; li.dataset.state = state; li.textContent = "";
    li.appendChild(el("span", "msg-author", you));
    li.appendChild(el("span", "msg-state", LABEL[state] + (why ? ": " + why : "")));
    li.appendChild(el("p", "msg-text", text));
    if (state === "failed") {
      var b = el("button", "link-button", "Try again");
      b.type = "button";
      b.addEventListener("click", function () { var e = find(cid); if (e) { e.failed = null; e.tries = 0; transmit(e); } });
      li.appendChild(b);
    }
    if (!li.parentNode) outboxEl.appendChild(li);
    outboxEl.hidden = false;
  }
  function transmit(e) {
    clearTimeout(e.timer);
    if (e.failed) { showOwn(e.cid, e.text, "failed", e.failed); return; }
    if (!ready) { showOwn(e.cid, e.text, "queued"); return; }
    showOwn(e.cid, e.text, "sending");
    ws.send(JSON.stringify({type: "send", client_id: e.cid, text: e.text}));
    e.timer = setTimeout(function () { ackLate(e); }, ACK_WAIT);
  }
  // No ack in time: the link may be dead. Check it, and resend (same client_id: no duplicate).
  function ackLate(e) {
    e.tries = (e.tries || 0) + 1;
    if (e.tries >= MAX_TRIES) { fail(e, "no reply from the server"); return; }
    probe();
    transmit(e);
  }
  function fail(e, why) { e.failed = why || "please try again"; save(); transmit(e); announce("Your message was not sent. " + e.failed); }
  function flush() { outbox.forEach(function (e) { if (!e.failed) transmit(e); }); }

  // --- the log ------------------------------------------------------------------------
  function messageItem(m) {
    var li = el("li", "msg");
    li.id = "m" + m.id; li.dataset.id = m.id;
    li.appendChild(el("span", "msg-author", m.author && m.author.handle));
    if (m.created_at) {
      var t = el("time"); t.setAttribute("datetime", m.created_at); localTime(t); li.appendChild(t);
    }
    li.appendChild(el("p", "msg-text", m.text));
    var a = el("a", "msg-report", "Report");
    a.href = "/rooms/" + encodeURIComponent(room) + "/messages/" + m.id + "/report";
    a.setAttribute("aria-label", "Report this message");
    li.appendChild(a);
    return li;
  }
  function insertById(li, id) {
    var items = list.querySelectorAll("li[data-id]");
    var last = items.length ? parseInt(items[items.length - 1].dataset.id, 10) : 0;
    if (id > last) { list.appendChild(li); }
    else {
      for (var i = items.length - 1; i >= 0 && parseInt(items[i].dataset.id, 10) > id; i--) { /* walk back */ }
      if (i >= 0) items[i].after(li); else list.insertBefore(li, list.firstChild);
    }
    while (list.children.length > 500) list.firstElementChild.remove();  // old phones stay fast
  }
  function onMessage(m) {
    var id = Number(m.id);
    if (!(id > 0)) return;
    var mine = m.author && m.author.handle === you && m.client_id;
    if (mine) { drop(m.client_id); removeOwn(m.client_id); }
    if (seen[id]) return;
    seen[id] = true;
    lastId = Math.max(lastId, id);
    if (!ready && everReady && !mine) fresh++;
    insertById(messageItem(m), id);
  }
  function onAck(f) {
    var e = find(f.client_id);
    if (!e) return;
    clearTimeout(e.timer);
    drop(f.client_id);
    if (f.status === "held") showOwn(e.cid, e.text, "held");
    else if (seen[f.id]) removeOwn(e.cid);  // already in the log (e.g. stored before a reload)
    else showOwn(e.cid, e.text, "sent");
  }
  function onError(f) {
    var e = f.client_id && find(f.client_id);
    if (!e) return;
    clearTimeout(e.timer);
    if (f.code === "rate_limited") e.timer = setTimeout(function () { transmit(e); }, (f.retry_after || 1) * 1000);
    else fail(e, f.message);
  }
  function line(cls, text, note) {
    var li = el("li", "msg " + cls);
    li.appendChild(el("strong", null, text));
    if (note) li.appendChild(el("p", "msg-text", note));
    list.appendChild(li);
  }
  var PHASE = {scheduled: "The meeting is scheduled.", lobby: "The meeting room is open: the meeting starts soon.",
    live: "The meeting has started.", closed: "The meeting has ended.", hidden: "This meeting room has closed."};
  function resumed() {
    if (fresh > 0) { newCount.hidden = false; newCount.textContent = fresh + " new message" + (fresh > 1 ? "s" : "") + " while you were away"; }
    fresh = 0;
  }

  // --- the crisis card, built like templates/partials/crisis.html ------------------------
  function safeHref(h) { return /^(tel:|sms:|mailto:|https?:)/i.test(h || "") ? h : null; }
  function contact(ct, extra) {
    var a = el("a", "crisis-link crisis-link--" + (extra || ct.kind), ct.label);
    var href = safeHref(ct.href);
    if (href) a.href = href;
    if (ct.kind === "chat" || ct.kind === "web") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    if (ct.note && !extra) { a.appendChild(document.createTextNode(" ")); a.appendChild(el("span", "crisis-link__note", "(" + ct.note + ")")); }
    return a;
  }
  function crisisCard(c) {
    var box = el("section", "crisis-card");
    box.id = "crisis-card"; box.tabIndex = -1;
    box.setAttribute("aria-label", "Support for you");
    box.setAttribute("aria-describedby", "crisis-body");
    box.appendChild(el("h2", "crisis-card__headline", c.headline));
    box.appendChild(el("p", "crisis-card__body", c.body)).id = "crisis-body";
    var em = (c.emergency && c.emergency.contacts) || [];
    if (em.length) {
      var p = el("p", "crisis-emergency");
      em.forEach(function (ct) { p.appendChild(contact(ct, "emergency")); });
      box.appendChild(p);
    }
    var ul = el("ul", "crisis-lines");
    (c.services || []).forEach(function (s) {
      var li = el("li", "crisis-line"), ways = el("ul", "crisis-line__contacts");
      li.appendChild(el("h3", "crisis-line__name", s.name));
      (s.contacts || []).forEach(function (ct) { ways.appendChild(el("li")).appendChild(contact(ct)); });
      li.appendChild(ways); ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(el("p", "crisis-card__closing", c.closing));
    box.appendChild(el("p", "crisis-card__note", c.disclaimer));
    box.appendChild(el("p", "crisis-card__private", c.private_note));
    crisisSlot.textContent = "";
    crisisSlot.appendChild(box);
    box.focus();  // read once, on focus; it is outside every live region
  }

  function onFrame(f) {
    switch (f.type) {
      case "message": onMessage(f); break;
      case "ack": onAck(f); break;
      case "error": onError(f); break;
      case "replayed":
        ready = true; everReady = true; attempt = 0;
        setState("connected", "Connected"); resumed(); flush(); break;
      case "presence": presenceEl.textContent = f.count + (f.count === 1 ? " person" : " people") + " here"; break;
      case "crisis_resources": crisisCard(f); break;
      case "message_removed": var r = byId("m" + Number(f.id)); if (r) r.remove(); break;
      case "staff_message":
        line("staff-note", f.kind === "warning" ? "A note from a moderator, only for you:" : "A moderator is checking in with you (only you can see this):", f.text);
        break;
      case "facilitator_alert":
        announce("Someone in " + f.room + " may be in crisis and no moderator is online. Please look in on the room.");
        break;
      case "meeting_phase": line("sys", PHASE[f.phase] || "The meeting changed.", f.locked ? "The meeting is closed to new arrivals." : null); break;
      case "muted": announce("You've been muted" + (f.until ? " until " + new Date(f.until).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"}) : "") + "."); break;
      case "removed_from_room": stop("You were removed from this room by its facilitator."); break;
    }
  }

  // --- the link ---------------------------------------------------------------------
  function heard() {
    clearTimeout(silence); clearTimeout(confirm); confirm = null;
    silence = setTimeout(kill, SILENCE);  // the server pings every 20 s
    if (ready && stateEl.dataset.state !== "connected") setState("connected", "Connected");
  }
  // Is the link really up? Ask; no answer within CONFIRM ms means it is dead.
  function probe() {
    if (!ws || ws.readyState !== 1 || confirm) return;
    try { ws.send('{"type":"ping"}'); } catch (e) { /* closing already */ }
    confirm = setTimeout(kill, CONFIRM);
  }
  function kill() {
    if (!ws) return;
    var dead = ws;
    dead.onopen = dead.onclose = dead.onmessage = null;
    try { dead.close(); } catch (e) { /* already closed */ }
    closed({code: 1006, reason: ""});
  }
  function stop(text) {
    stopped = true; setState("offline", "Disconnected"); announce(text);
    if (ws) { ws.onclose = null; ws.close(); ws = null; }
  }
  function closed(ev) {
    ws = null; ready = false;
    clearTimeout(silence); clearTimeout(confirm); confirm = null;
    var why = {4003: "This account has been suspended. If you think this is a mistake, please contact the moderators.",
      4401: "Your session has ended. Please log in again.", 4403: "You can't take part in this room.",
      4404: "This room no longer exists."}[ev.code];
    if (why) { stop(why); return; }
    var cap = ev.code === 4008 ? BASE : Math.min(CAP, BASE * Math.pow(2, attempt++));
    if (navigator.onLine === false) setState("offline", "Offline: messages will send when you're back");
    else setState("reconnecting", "Reconnecting…");
    clearTimeout(retry);
    retry = setTimeout(connect, Math.random() * cap);  // full jitter
  }
  function connect() {
    if (stopped || ws) return;
    clearTimeout(retry);
    if (!everReady) setState("reconnecting", "Connecting…");
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var sock = new WebSocket(proto + location.host + "/ws/rooms/" + encodeURIComponent(room) + "?after=" + lastId);
    ws = sock;
    sock.onopen = heard;
    sock.onmessage = function (ev) {
      heard();
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f === "object") onFrame(f);
    };
    sock.onclose = closed;
  }

  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var box = form.querySelector("textarea"), text = box.value.trim();
      if (!text) return;
      var e = {cid: uuid(), text: text};
      outbox.push(e); save();
      box.value = "";
      newCount.hidden = true;
      transmit(e);
      box.focus();
    });
  }
  window.addEventListener("online", function () {
    if (ws) probe(); else if (!stopped) { attempt = 0; connect(); }
  });
  window.addEventListener("offline", function () {
    if (!stopped) setState("offline", "Offline: messages will send when you're back");
    probe();
  });
  // A phone may freeze a background tab and its socket: check the link on return.
  document.addEventListener("visibilitychange", function () { if (!document.hidden) probe(); });
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) { seen[li.dataset.id] = true; });
  Array.prototype.forEach.call(list.querySelectorAll("time[datetime]"), localTime);
  outbox.forEach(function (e) { transmit(e); });
  connect();
})();
