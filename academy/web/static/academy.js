// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Prevent double submits: disable the buttons once the form is on its way.
    if (!event.defaultPrevented && !form.hasAttribute("data-allow-resubmit")) {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
  // Menu toggles (checkboxes without JavaScript): buttons that say whether they are open.
  var toggles = Array.prototype.slice.call(document.querySelectorAll("label[data-toggle-for]"));
  function boxOf(label) { return document.getElementById(label.getAttribute("data-toggle-for")); }
  function sync() {
    toggles.forEach(function (label) {
      var box = boxOf(label);
      if (box) { label.setAttribute("aria-expanded", box.checked ? "true" : "false"); }
    });
  }
  function closeAll(except) {
    toggles.forEach(function (label) {
      var box = boxOf(label);
      if (box && box !== except && box.checked && !(except && box.id === "site-menu-toggle")) {
        box.checked = false;
      }
    });
    sync();
  }
  toggles.forEach(function (label) {
    var box = boxOf(label);
    if (!box) { return; }
    box.setAttribute("tabindex", "-1");
    box.setAttribute("aria-hidden", "true");
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    label.setAttribute("aria-controls", box.getAttribute("aria-controls") || "");
    box.addEventListener("change", function () { if (box.checked) { closeAll(box); } sync(); });
    label.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        box.click();
      }
    });
  });
  sync();
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = toggles.filter(function (label) { var box = boxOf(label); return box && box.checked; });
    if (open.length) {
      closeAll(null);
      open[open.length - 1].focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || event.target.closest(".site-header")) { return; }
    closeAll(null);
  });
})();
// Focus what a page was opened to show (the new drill prompt, a quiz result):
// the autofocus attribute does it without JavaScript; this covers browsers that
// skip autofocus on elements that are not form fields.
(function () {
  "use strict";
  var target = document.querySelector("[autofocus][tabindex='-1']");
  if (target && document.activeElement !== target) target.focus();
})();
