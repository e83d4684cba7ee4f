// Quiz page: save answers as they are given, count them live, ask before submitting
// with questions unanswered. Without this file the answers are posted at the end and
// the server asks for confirmation itself.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var progress = document.getElementById("quiz-progress");
  var savedNote = document.getElementById("quiz-saved");
  var url = form.getAttribute("data-autosave");
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.quiz-question"));
  var inFlight = false;
  var pending = false;
  var timer = null;

  function answered(fieldset) {
    var selects = fieldset.querySelectorAll("select");
    if (selects.length) {
      return Array.prototype.every.call(selects, function (s) { return s.value !== ""; });
    }
    if (fieldset.querySelector("input:checked")) return true;
    var typed = fieldset.querySelector("input[type=text]");
    return !!(typed && typed.value.trim());
  }

  function unanswered() {
    return questions.filter(function (q) { return !answered(q); });
  }

  function count() {
    var done = questions.length - unanswered().length;
    if (progress) {
      progress.textContent = progress.getAttribute("data-template")
        .replace("{done}", done).replace("{total}", questions.length);
      progress.setAttribute("data-answered", done);
    }
  }

  function note(key) {
    if (!savedNote) return;
    savedNote.textContent = savedNote.getAttribute("data-" + key);
    savedNote.hidden = false;
    savedNote.setAttribute("data-state", key);
  }

  function save() {
    if (!url || !window.fetch) return;
    if (inFlight) { pending = true; return; }
    inFlight = true;
    pending = false;
    var body = new URLSearchParams(new FormData(form));
    window.fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 409) {
        return response.json().then(function (data) { if (data.result) window.location = data.result; });
      }
      note(response.ok ? "saved" : "failed");
    }).catch(function () { note("failed"); }).then(function () {
      inFlight = false;
      if (pending) save();
    });
  }

  function changed() {
    count();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "text") changed();
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "confirm") return;
    if (form.querySelector("input[name=confirm]")) return;
    var missing = unanswered();
    if (!missing.length) return;
    var template = form.getAttribute(missing.length === 1 ? "data-confirm-one" : "data-confirm-many");
    if (!window.confirm(template.replace("{n}", missing.length))) {
      event.preventDefault();
      var first = missing[0].querySelector("input, select");
      if (first) first.focus();
      return;
    }
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "confirm";
    flag.value = "unanswered";
    form.appendChild(flag);
  });
  count();
})();
