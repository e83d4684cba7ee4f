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
})();
// Focus what a page was opened to show (the new drill prompt, a quiz result):
// the autofocus attribute does it without JavaScript; this covers browsers that
// skip autofocus on elements that are not form fields.
(function () {
  "use strict";
  var target = document.querySelector("[autofocus][tabindex='-1']");
  if (target && document.activeElement !== target) target.focus();
})();
