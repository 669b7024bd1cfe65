// After a failed submit, move focus to the error summary (GOV.UK pattern), so a keyboard or screen-reader user
// lands on the list of problems instead of the top of the page. Without JavaScript, the summary's autofocus
// attribute does the same in browsers that honour it; the summary is first in the content either way.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
}());
