(function () {
  "use strict";
  // The run page's behaviour: copy, what's next, done marks, role and group filters, live figures (issue 11).
  // Everything stays on this device: no request, nothing sent; marks and figures live in localStorage.
  var data = JSON.parse(document.getElementById("plan-data").textContent);
  var P = data.page, L = P.labels;
  // ?now= ?role= ?group=: percent-decoded, and a "+" stays a "+" (…T19:31:00+08:00 typed as is).
  var params = {};
  location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
    var eq = pair.indexOf("=");
    if (eq < 1) return;
    try { params[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1)); } catch (e) { /* a malformed escape */ }
  });
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // The clock: the device's, or the moment given as ?now= (rehearsal), running on from there.
  var shift = 0;
  var nowParam = params.now;
  if (nowParam) {
    var given = Date.parse(nowParam.replace(/ (\d\d:?\d\d)$/, "+$1"));  // a "+" some tool turned into a space
    if (!isNaN(given)) shift = given - Date.now();
  }
  function now() { return Date.now() + shift; }

  // Storage: one key per campaign; a browser without localStorage keeps marks for this visit only.
  var KEY = "flashgroup:" + P.key;
  var memory = null;
  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      if (raw) return JSON.parse(raw);
    } catch (e) { if (memory) return memory; }
    return memory || {};
  }
  var state = load();
  if (!state || typeof state !== "object") state = {};
  if (!state.marks || typeof state.marks !== "object") state.marks = {};
  if (!state.live || typeof state.live !== "object") state.live = {};
  function save() {
    memory = state;
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: this visit only */ }
  }

  var events = $$("article.ev");
  var times = events.map(function (el) { return el.getAttribute("data-at") ? Date.parse(el.getAttribute("data-at")) : null; });
  var byIndex = {};
  events.forEach(function (el, i) { byIndex[el.getAttribute("data-i")] = i; });

  // Copy: the async clipboard where the page may use it, else a selected textarea and execCommand("copy").
  function flash(button, text, failed) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = text;
    button.classList.add(failed ? "fail" : "ok");
    clearTimeout(button._timer);
    button._timer = setTimeout(function () {
      button.textContent = original;
      button.classList.remove("ok", "fail");
    }, failed ? 4000 : 1500);
  }
  function selectText(el) {
    try {
      var range = document.createRange();
      range.selectNodeContents(el);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    } catch (e) { /* nothing more to do */ }
  }
  function fallbackCopy(text, button, box) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.width = "1px";
    area.style.height = "1px";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.focus();
    area.select();
    try { area.setSelectionRange(0, text.length); } catch (e) { /* old browsers */ }
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (ok) {
      flash(button, L.copied);
    } else {
      selectText(box);
      flash(button, L.copy_failed, true);
    }
  }
  function copy(button) {
    var box = button.parentNode.querySelector(".txt");
    var text = box.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { flash(button, L.copied); }, function () { fallbackCopy(text, button, box); });
    } else {
      fallbackCopy(text, button, box);
    }
  }

  // Filters: ?role=水军3 / helper-3 / Helper 3 / h3 / 群主 / host / 统计 / counter, ?group=2 (1-based) or a group's name.
  var roleSelect = $("#role"), groupSelect = $("#group");
  function parseRole(value) {
    if (!value) return "";
    var text = String(value).trim().toLowerCase();
    var options = $$("#role option");
    for (var i = 1; i < options.length; i++) {
      if (options[i].value === text || options[i].textContent.trim().toLowerCase() === text) return options[i].value;
    }
    var digits = text.match(/^(?:水军|helper|h)[\s+_-]*(\d+)$/);
    if (digits && $("#role option[value='h" + Number(digits[1]) + "']")) return "h" + Number(digits[1]);
    return "";
  }
  function parseGroup(value) {
    if (!value) return "";
    var options = $$("#group option");
    for (var i = 1; i < options.length; i++) {
      if (options[i].textContent === value || String(i) === String(value).trim()) return options[i].value;
    }
    return "";
  }
  roleSelect.value = parseRole(params.role);
  groupSelect.value = parseGroup(params.group);
  function visible(el) { return !el.classList.contains("hidden-role"); }
  function applyFilters() {
    var role = roleSelect.value, group = groupSelect.value;
    var only = role !== "" && role !== "host" ? role : "";  // the host does every action
    events.forEach(function (el) {
      var roles = (el.getAttribute("data-roles") || "").split(" ");
      el.classList.toggle("hidden-role", only !== "" && roles.indexOf(only) < 0);
      $$(".cues li", el).forEach(function (li) {
        li.classList.toggle("hidden-role", only !== "" && li.getAttribute("data-role") !== only);
      });
    });
    $$("[data-role-card]").forEach(function (card) { card.hidden = card.getAttribute("data-role-card") !== role; });
    $("#live").hidden = /^h\d+$/.test(role);  // a helper types no figures: the host and the counter do
    $$(".mark[data-g]").forEach(function (b) { b.classList.toggle("hidden-group", group !== "" && b.getAttribute("data-g") !== group); });
    $$("section.day").forEach(function (s) { s.classList.toggle("hidden-role", !$$("article.ev", s).some(visible)); });
    $$("section.phase").forEach(function (s) { s.classList.toggle("hidden-role", !$$("article.ev", s).some(visible)); });
    $("#empty-role").hidden = events.some(visible);
    document.body.setAttribute("data-role", role);
    try {
      var url = new URL(location.href);
      var roleParam = role ? roleSelect.options[roleSelect.selectedIndex].textContent : "";
      if (roleParam) url.searchParams.set("role", roleParam); else url.searchParams.delete("role");
      if (group !== "") url.searchParams.set("group", String(Number(group) + 1)); else url.searchParams.delete("group");
      history.replaceState(null, "", url.toString());
    } catch (e) { /* file URLs in some browsers */ }
    refresh();
  }

  // Times in the campaign's zone, whatever the phone's zone.
  var zoneClock = null;
  try {
    zoneClock = new Intl.DateTimeFormat("en-GB", { timeZone: P.timezone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  } catch (e) { zoneClock = null; }
  function clockOf(ms) {
    if (zoneClock) return zoneClock.format(new Date(ms));
    return new Date(ms).toTimeString().slice(0, 8);
  }
  function hhmm(ms) { return clockOf(ms).slice(0, 5); }
  function countdown(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (d ? d + (P.labels.lang === "en" ? "d " : "天 ") : "") + pad(h) + ":" + pad(m) + ":" + pad(r);
  }

  // Done marks: "index" or "index.group" -> the moment it was marked (page clock).
  var marks = $$(".mark");
  function eventOf(button) { return button.closest("article.ev"); }
  function paintMark(button) {
    var at = state.marks[button.getAttribute("data-mark")];
    var el = eventOf(button);
    var due = times[byIndex[el.getAttribute("data-i")]];
    var stamp = $(".stamp", button);
    button.setAttribute("aria-pressed", at ? "true" : "false");
    var late = !!(at && due !== null && at - due > 5 * 60 * 1000);
    button.classList.toggle("late", late);
    stamp.textContent = at ? " " + hhmm(at) + (late ? " " + L.late : "") : "";
  }
  function counter() {
    var t = now(), done = 0, due = 0, total = 0;
    marks.forEach(function (b) {
      if (!visible(eventOf(b)) || b.classList.contains("hidden-group")) return;
      var el = eventOf(b), at = times[byIndex[el.getAttribute("data-i")]];
      total++;
      var marked = !!state.marks[b.getAttribute("data-mark")];
      if (marked) done++;
      if ((at !== null && at <= t) || (at === null && el.getAttribute("data-state") === "due") || marked) due++;
    });
    $("#counter").textContent = L.counter.replace("{done}", done).replace("{due}", due).replace("{total}", total);
  }

  // What's next: the first visible action not yet past (an action stays next for its minute); every action sharing
  // its time is next too.
  var bar = $("#bar"), nextEl = null, GRACE = 60 * 1000;
  function refresh() {
    var t = now(), nextAt = null;
    events.forEach(function (el, i) {
      var at = times[i];
      if (at !== null && at + GRACE > t && visible(el) && (nextAt === null || at < nextAt)) nextAt = at;
    });
    nextEl = null;
    events.forEach(function (el, i) {
      var at = times[i];
      if (at === null) return;
      var s = at + GRACE <= t ? "past" : at === nextAt ? "next" : "future";
      if (s === "next" && !nextEl && visible(el)) nextEl = el;
      if (el.getAttribute("data-state") !== s) el.setAttribute("data-state", s);
    });
    bar.hidden = false;
    if (nextEl) {
      $("#bar-clock").textContent = $(".clock", nextEl).textContent;
      $("#bar-title").textContent = " " + $("h4", nextEl).textContent;
      $("#bar-count").textContent = nextAt >= t ? L["in"] + " " + countdown(nextAt - t) : L.overdue + " " + countdown(t - nextAt - 999);
    } else {
      $("#bar-clock").textContent = "";
      $("#bar-title").textContent = L.all_done;
      $("#bar-count").textContent = "";
    }
    $("#bar-now").textContent = L.now + " " + clockOf(t);
    counter();
  }

  // Live figures: orders so far and units left per product decide which stock and tier cues are due (GR-13, GR-14)
  // and fill the battle report (END-4).
  var ordersInput = $("#orders"), leftInputs = $$("input.left");
  function num(value) {
    if (value === "" || value === null || value === undefined) return null;
    var n = Number(value);
    return isFinite(n) && n >= 0 ? Math.floor(n) : null;
  }
  function figures() {
    var live = state.live;
    var orders = live.orders !== undefined ? num(live.orders) : P.orders;
    var left = P.products.map(function (p, i) {
      if (live.left && live.left[i] !== undefined) return num(live.left[i]);
      return p.sold !== null ? Math.max(p.stock - p.sold, 0) : null;
    });
    return { orders: orders, left: left };
  }
  function isDue(trigger, f) {
    // Tiers count units (GR-14). Orders are never more than units, and the units sold of the products whose stock
    // is known are never more than all units sold: either one reaching the figure means the tier is reached.
    if (trigger.kind === "orders_reached") {
      var units = f.left.reduce(function (sum, left, i) { return left === null ? sum : sum + Math.max(P.products[i].stock - left, 0); }, 0);
      return (f.orders !== null && f.orders >= trigger.amount) || units >= trigger.amount;
    }
    var left = f.left[trigger.product];
    if (left === null) return false;
    return trigger.kind === "sold_out" ? left === 0 : left <= trigger.amount;
  }
  function reportText(f) {
    var variants = P.report.variants;
    if (!variants.length) return "";
    var mask = 0;
    f.left.forEach(function (left, i) { if (left === 0) mask |= 1 << i; });
    var text = variants[mask];
    text = text.split(P.report.orders).join(f.orders === null ? "____" : String(f.orders));
    var known = f.left.every(function (left) { return left !== null; });
    var units = known ? f.left.reduce(function (sum, left, i) { return sum + Math.max(P.products[i].stock - left, 0); }, 0) : null;
    text = text.split(P.report.units).join(units === null ? "____" : String(units));
    P.report.sold.forEach(function (marker, i) {
      var left = f.left[i];
      var sold = left === null ? "____" : String(Math.max(P.products[i].stock - left, 0));
      text = text.split(marker).join(sold);
    });
    return text;
  }
  function copyBox(text) {
    var box = document.createElement("div");
    box.className = "copybox";
    var txt = document.createElement("div");
    txt.className = "txt";
    txt.setAttribute("data-live", "");
    txt.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = L.copy_label;
    box.appendChild(txt);
    box.appendChild(button);
    return box;
  }
  // How far along its series a cue is: tiers by their figure, a product's stock cues by how little is left.
  function series(trigger) { return trigger.kind === "orders_reached" ? "tiers" : "stock" + trigger.product; }
  function progress(trigger) { return trigger.kind === "orders_reached" ? trigger.amount : -(trigger.kind === "sold_out" ? 0 : trigger.amount); }
  function allMarked(el) {
    var shown = $$(".mark", el).filter(function (b) { return !b.classList.contains("hidden-group"); });
    return shown.length > 0 && shown.every(function (b) { return !!state.marks[b.getAttribute("data-mark")]; });
  }
  function live() {
    var f = figures();
    var due = $("#due");
    while (due.firstChild) due.removeChild(due.firstChild);
    // Only the latest cue reached in each series is due: "half gone" is no longer true once it is sold out, and a
    // tier's "next goal" is stale once that goal is reached (GR-13, GR-14). The earlier ones are passed.
    var latest = {};
    P.triggers.forEach(function (trigger) {
      if (!isDue(trigger, f)) return;
      var key = series(trigger);
      if (!(key in latest) || progress(trigger) > progress(latest[key])) latest[key] = trigger;
    });
    var any = false;
    P.triggers.forEach(function (trigger) {
      var el = events[byIndex[String(trigger.event)]];
      if (!el) return;
      var reached = isDue(trigger, f);
      var isNow = reached && latest[series(trigger)] === trigger;
      el.setAttribute("data-state", isNow ? "due" : reached ? "passed" : "waiting");
      if (!isNow || !visible(el) || allMarked(el)) return;  // posted in every group shown: not listed again
      any = true;
      var item = document.createElement("div");
      item.className = "due-item";
      item.setAttribute("data-event", String(trigger.event));
      var h = document.createElement("h4");
      var a = document.createElement("a");
      a.href = "#" + el.id;
      a.textContent = $("h4", el).textContent + " · " + $(".when", el).textContent;
      h.appendChild(a);
      item.appendChild(h);
      item.appendChild(copyBox($("[data-copy]", el).textContent));
      due.appendChild(item);
    });
    if (!any) {
      var p = document.createElement("p");
      p.className = "empty";
      p.textContent = L.no_due;
      due.appendChild(p);
    }
    var typed = f.orders !== null || f.left.some(function (x) { return x !== null; });
    var text = typed ? reportText(f) : "";
    $$("[data-live-report]").forEach(function (el) { el.textContent = text; });
    $("#report").hidden = !text;
    $$(".live-report").forEach(function (el) { el.hidden = !text; });
    counter();
  }
  function readInputs() {
    state.live = { orders: ordersInput.value, left: leftInputs.map(function (i) { return i.value; }) };
    save();
    live();
  }
  function fillInputs() {
    var f = figures();
    ordersInput.value = f.orders === null ? "" : String(f.orders);
    leftInputs.forEach(function (input, i) { input.value = f.left[i] === null ? "" : String(f.left[i]); });
  }
  fillInputs();

  // Events: one listener for every button.
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button") : null;
    if (!button) return;
    if (button.classList.contains("copy")) {
      copy(button);
    } else if (button.classList.contains("mark")) {
      var id = button.getAttribute("data-mark");
      if (state.marks[id]) delete state.marks[id]; else state.marks[id] = now();
      save();
      paintMark(button);
      live();
    } else if (button.id === "clear") {
      if (window.confirm(L.clear_confirm)) {
        state = { marks: {}, live: {} };
        save();
        marks.forEach(paintMark);
        fillInputs();  // back to the file's own results, if it has any
        live();
      }
    } else if (button.id === "bar-jump" && nextEl) {
      nextEl.scrollIntoView({ block: "center" });
    }
  });
  roleSelect.addEventListener("change", function () { applyFilters(); live(); });
  groupSelect.addEventListener("change", function () { applyFilters(); live(); });
  ordersInput.addEventListener("input", readInputs);
  leftInputs.forEach(function (i) { i.addEventListener("input", readInputs); });
  window.addEventListener("beforeprint", function () { $$("details").forEach(function (d) { d.open = true; }); });

  marks.forEach(paintMark);
  applyFilters();
  live();
  setInterval(refresh, 1000);
  // When the page was ready, in ms since navigation started (bench/bench_page.py reads it).
  document.documentElement.setAttribute("data-ready", String(Math.max(1, Math.round(window.performance ? performance.now() : 1))));
})();
