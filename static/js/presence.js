// Tells the employee, at once and then every 20 seconds, who else has this case open and whether it has changed.
// The poll is also what tells colleagues this employee is here: the page view itself records nothing.
// Without JavaScript the page still shows who was looking when it loaded, and stale replies are refused.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("presence");
    if (!box || !window.fetch) { return; }
    var text = document.getElementById("presence-text");
    var seen = parseInt(box.getAttribute("data-latest"), 10) || 0;
    function poll() {
      fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var parts = [];
          if (data.viewers.length) {
            parts.push(data.viewers.join(", ") + (data.viewers.length === 1 ? " is" : " are") + " also looking at this case.");
          }
          if (data.latest_event_id > seen) {
            parts.push("Something new was added to the case: reload the page to see it before you reply.");
          }
          text.textContent = parts.join(" ");
          box.hidden = parts.length === 0;
        })
        .catch(function () { /* the next poll tries again */ });
    }
    poll();
    window.setInterval(poll, 20000);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
