/* Autosave for a domain page: answers are sent in the background as they change and before the
   page is left. Until the server confirms, they are also kept in this browser (localStorage), so
   a network or database outage loses nothing: they are sent again when the page is next open. */
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-autosave-url");
  var domain = form.getAttribute("data-domain");
  var statusEl = document.getElementById("autosave-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  var storageKey = "swanilai:" + url + ":" + domain;
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var text = {
    id: { saving: "Menyimpan…", saved: "Tersimpan", failed: "Belum tersimpan — mencoba lagi", signin: "Belum tersimpan — sesi berakhir, masuk lagi lalu tekan Simpan", restored: "Jawaban yang belum tersimpan dipulihkan dari perangkat ini" },
    en: { saving: "Saving…", saved: "Saved", failed: "Not saved — retrying", signin: "Not saved — your session ended: sign in again, then press Save", restored: "Unsaved answers were restored from this device" }
  }[lang];
  var timer = null, retryDelay = 2000, dirty = false, inFlight = false;

  function show(message, state) {
    statusEl.textContent = message;
    statusEl.setAttribute("data-state", state);
  }

  function collect() {
    var answers = {};
    form.querySelectorAll("fieldset[data-item]").forEach(function (fs) {
      var id = fs.getAttribute("data-item"), type = fs.getAttribute("data-type");
      if (type === "text") {
        answers[id] = fs.querySelector("textarea").value;
      } else if (type === "multi") {
        var picked = [], none = false;
        fs.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
          if (box.value === "__none__") { none = true; } else { picked.push(box.value); }
        });
        answers[id] = picked.length ? picked : (none ? [] : null);
      } else {
        var checked = fs.querySelector("input[type=radio]:checked");
        answers[id] = checked ? checked.value : null;
      }
    });
    return answers;
  }

  function restore(answers) {
    Object.keys(answers).forEach(function (id) {
      var fs = form.querySelector('fieldset[data-item="' + id + '"]');
      var value = answers[id];
      if (!fs) { return; }
      if (fs.getAttribute("data-type") === "text") {
        fs.querySelector("textarea").value = value || "";
      } else if (fs.getAttribute("data-type") === "multi") {
        fs.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          box.checked = value !== null && (value.indexOf(box.value) >= 0 || (box.value === "__none__" && value.length === 0));
        });
      } else {
        fs.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = radio.value === value; });
      }
    });
  }

  /* The counters at the top ("X of Y questions answered") and this domain's in the side list
     follow what was just saved: the scored questions with an answer ("none of these" and "not
     applicable" are answers). */
  function count(answers) {
    var scored = form.querySelectorAll("fieldset[data-item][data-scored]");
    var done = 0;
    scored.forEach(function (fs) {
      var value = answers[fs.getAttribute("data-item")];
      if (value !== null && value !== undefined && value !== "") { done += 1; }
    });
    var counter = document.getElementById("answered-count");
    if (counter && counter.getAttribute("data-template")) {
      counter.textContent = counter.getAttribute("data-template").replace(counter.getAttribute("data-stand-in"), String(done));
    }
    var listed = form.querySelector('[data-domain-count="' + domain + '"]');
    if (listed) { listed.textContent = done + "/" + scored.length; }
  }

  function remember(answers) {
    try { localStorage.setItem(storageKey, JSON.stringify(answers)); } catch (e) { /* storage full or off */ }
  }

  function forget() {
    try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function send(keepalive) {
    if (inFlight && !keepalive) { schedule(500); return; }
    var answers = collect();
    remember(answers);
    dirty = false;
    inFlight = true;
    show(text.saving, "saving");
    fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive, redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ domain: domain, answers: answers })
    }).then(function (response) {
      inFlight = false;
      if (response.ok) {
        if (!dirty) { forget(); }
        retryDelay = 2000;
        var now = new Date();
        show(text.saved + " " + now.toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID", { hour: "2-digit", minute: "2-digit" }), "saved");
        form.setAttribute("data-saved", "1");
        count(answers);
        return;
      }
      if (response.status === 401 || response.status === 400 && response.headers.get("Content-Type").indexOf("json") < 0 || response.type === "opaqueredirect") {
        show(text.signin, "signin");
        return;
      }
      retry();
    }).catch(function () { inFlight = false; retry(); });
  }

  function retry() {
    dirty = true;
    show(text.failed, "failed");
    schedule(retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function schedule(delay) {
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; send(false); }, delay);
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox") {
      var fs = box.closest("fieldset");
      if (box.value === "__none__" && box.checked) {
        fs.querySelectorAll("input[type=checkbox]").forEach(function (b) { if (b !== box) { b.checked = false; } });
      } else if (box.checked) {
        var none = fs.querySelector('input[value="__none__"]');
        if (none) { none.checked = false; }
      }
    }
    schedule(300);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { schedule(1500); }
  });
  form.addEventListener("submit", function () { forget(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) { send(true); }
  });
  window.addEventListener("pagehide", function () { if (dirty) { send(true); } });

  try {
    var saved = localStorage.getItem(storageKey);
    if (saved) {
      restore(JSON.parse(saved));
      show(text.restored, "restored");
      schedule(100);
    }
  } catch (e) { /* ignore unreadable storage */ }
})();
