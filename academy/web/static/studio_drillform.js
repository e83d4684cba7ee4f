// Studio drill forms: redraw the map and this node's checks while the trainer types.
// The page works without this script (the map is drawn on every save and every
// "add choice"); nothing here saves anything.
(function () {
  "use strict";
  var form = document.getElementById("node-form");
  if (!form || !window.fetch || !window.FormData) return;
  var map = document.querySelector(".drillform-map .studio-map");
  var live = document.getElementById("live-checks");
  var timer = null;
  var asked = 0;

  function show(data) {
    if (data.svg && map) map.innerHTML = data.svg; // drawn and XML-escaped by the server
    if (!live) return;
    live.textContent = "";
    var title = document.createElement("h2");
    title.textContent = live.dataset.title;
    live.appendChild(title);
    var list = document.createElement("ul");
    list.className = "drillform-problems";
    var items = data.problems || [];
    if (data.error) items = [{ severity: "error", message: data.error.message, label: data.error.field }];
    items.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "problem problem--" + p.severity;
      var where = document.createElement("span");
      where.className = "problem__where";
      var label = p.label || "";
      if (p.choice !== null && p.choice !== undefined) {
        label += " · " + live.dataset.choice.replace("0", String(p.choice + 1));
      }
      where.textContent = label;
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + p.message));
      list.appendChild(li);
    });
    if (!items.length) {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = live.dataset.none;
      live.appendChild(none);
    } else {
      live.appendChild(list);
    }
    live.hidden = false;
  }

  function refresh() {
    var body = new FormData(form);
    body.set("action", "preview");
    var mine = ++asked;
    // not form.action: the submit buttons are named "action" and shadow the property
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && mine === asked) show(data);
      })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
