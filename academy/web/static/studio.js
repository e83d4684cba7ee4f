// Studio editor: live preview (debounced), image upload, phone tabs, unsaved-changes
// warning, a local copy of the draft and quiet CSRF refresh. Works without it too:
// the forms post normally and the server renders the preview on every save.
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  var form = document.getElementById("editor-form");
  if (!form) return;
  var kind = form.dataset.kind;
  var docId = form.dataset.doc;
  var storeKey = "academy-studio-" + docId + "-v" + form.dataset.version;
  var csrfInput = form.querySelector("input[name=csrf_token]");
  var source = kind === "module" ? form.querySelector("#body") : form.querySelector("#text");
  var preview = document.getElementById("preview");
  var dirty = false;
  var timer = null;

  function token() { return csrfInput ? csrfInput.value : ""; }

  function setToken(value) {
    document.querySelectorAll("input[name=csrf_token]").forEach(function (el) { el.value = value; });
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) meta.setAttribute("content", value);
  }

  function refreshPreview() {
    if (!preview || !form.dataset.previewUrl || !source) return;
    var body = new FormData();
    body.append("csrf_token", token());
    body.append("kind", kind);
    body.append("doc", docId);
    body.append("text", source.value);
    fetch(form.dataset.previewUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.json().catch(function () { return null; }); })
      .then(function (data) {
        if (!data) return;
        if (data.error) { preview.textContent = data.error; return; }
        if (kind === "module") { preview.innerHTML = data.html; return; }
        if (data.svg) preview.innerHTML = data.svg;
        var list = document.querySelector("#live-problems ul");
        if (list && data.problems) {
          list.innerHTML = "";
          data.problems.forEach(function (p) {
            var li = document.createElement("li");
            li.className = "problem problem--" + p.severity;
            li.textContent = "line " + p.line + ": " + p.message;
            list.appendChild(li);
          });
        }
      })
      .catch(function () {});
  }

  form.addEventListener("input", function () {
    dirty = true;
    try { localStorage.setItem(storeKey, JSON.stringify({ text: source ? source.value : "", at: Date.now() })); } catch (e) {}
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 250);
  });
  form.addEventListener("submit", function () {
    dirty = false;
    try { localStorage.removeItem(storeKey); } catch (e) {}
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.unsaved || "";
  });

  // A draft typed before a crash or an expired session comes back.
  try {
    var saved = JSON.parse(localStorage.getItem(storeKey) || "null");
    if (saved && source && saved.text && saved.text !== source.value) {
      source.value = saved.text;
      dirty = true;
      var note = document.getElementById("save-state");
      if (note) note.textContent = "⟲";
      refreshPreview();
    }
  } catch (e) {}

  // Keep the CSRF token fresh through a long editing session.
  if (form.dataset.csrfUrl) {
    setInterval(function () {
      fetch(form.dataset.csrfUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.token) setToken(data.token); })
        .catch(function () {});
    }, 10 * 60 * 1000);
  }

  // Phone: write and preview as tabs.
  var tabs = document.querySelectorAll(".studio-tab");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        var pane = document.getElementById(t.getAttribute("aria-controls"));
        if (pane) pane.classList.toggle("studio-pane--active", on);
      });
      if (tab.id === "tab-preview") refreshPreview();
    });
  });
  var first = document.getElementById("pane-write");
  if (first) first.classList.add("studio-pane--active");

  // Images: upload, then insert the Markdown at the cursor.
  var file = document.getElementById("image-file");
  if (file && source) {
    file.addEventListener("change", function () {
      var error = document.getElementById("upload-error");
      if (!file.files.length) return;
      var body = new FormData();
      body.append("image", file.files[0]);
      fetch(file.dataset.uploadUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token() }
      })
        .then(function (r) { return r.json().catch(function () { return { error: String(r.status) }; }); })
        .then(function (data) {
          if (data.error) { error.textContent = data.error; error.hidden = false; return; }
          error.hidden = true;
          var at = source.selectionStart || source.value.length;
          source.value = source.value.slice(0, at) + "\n" + data.markdown + "\n" + source.value.slice(at);
          source.dispatchEvent(new Event("input", { bubbles: true }));
          file.value = "";
        });
    });
  }
})();
