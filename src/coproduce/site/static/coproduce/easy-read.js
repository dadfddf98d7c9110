// The Easy Read editor's live check: as a point's words are typed, the rules they break are
// shown under them (read out by screen readers, politely). Saving checks the same rules, so
// the page works without this script.
(function () {
  "use strict";
  var form = document.getElementById("easy-read-form");
  if (!form || !window.fetch) { return; }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};

  function show(box, problems) {
    box.textContent = "";
    if (!problems.length) { return; }
    var list = document.createElement("ul");
    list.className = "problems";
    problems.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function check(area) {
    var body = new URLSearchParams();
    body.append("text", area.value);
    fetch(form.dataset.check, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token },
      credentials: "same-origin"
    }).then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (found) {
        if (found) { show(document.getElementById(area.id + "-check"), found.problems); }
      })
      .catch(function () { /* the check on saving still runs */ });
  }

  form.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.dataset || area.dataset.point === undefined) { return; }
    clearTimeout(timers[area.id]);
    timers[area.id] = setTimeout(function () { check(area); }, 400);
  });
})();
