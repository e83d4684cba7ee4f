// The assignment form's people picker: find people by name, add their usernames.
(function () {
  "use strict";
  document.querySelectorAll("[data-people-picker]").forEach(function (picker) {
    var tool = picker.querySelector(".people-picker__tool");
    var input = tool.querySelector("input");
    var results = tool.querySelector(".people-picker__results");
    var target = document.getElementById(picker.getAttribute("data-target"));
    if (!target) { return; }
    picker.querySelector(".people-picker__fallback").hidden = true;
    tool.hidden = false;
    var timer = null;
    var added = function () {
      return target.value.split(/[\s,，、;；]+/).filter(Boolean);
    };
    var find = function () {
      var q = input.value.trim();
      if (!q) { results.textContent = ""; return; }
      var url = picker.getAttribute("data-url") + "&q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          results.innerHTML = html; // rendered and escaped by the server
          results.querySelectorAll("[data-username]").forEach(function (item) {
            var name = item.getAttribute("data-username");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "button button--small";
            var have = added().indexOf(name) >= 0;
            button.textContent = picker.getAttribute(have ? "data-added-label" : "data-add-label");
            button.disabled = have;
            button.addEventListener("click", function () {
              if (added().indexOf(name) < 0) {
                target.value = (target.value.trim() ? target.value.trim() + "\n" : "") + name;
              }
              button.textContent = picker.getAttribute("data-added-label");
              button.disabled = true;
            });
            item.appendChild(button);
          });
        });
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(find, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); find(); }
    });
    picker.querySelector("[data-people-picker-find]").addEventListener("click", find);
  });
})();
