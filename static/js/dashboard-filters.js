// The dashboard's From and To dates count only for the period "Dates I choose": with JavaScript they show only
// when that period is chosen, so the filter bar is the period, team, breakdown and trend. Without JavaScript (or
// with dates already chosen, or refused) they stay in view and the form works the same.
(function () {
  "use strict";
  function enhance() {
    var period = document.getElementById("period");
    var dates = document.querySelectorAll(".dash-filters__field--date");
    if (!period || !dates.length) {
      return;
    }
    function show() {
      var custom = period.value === "custom";
      for (var i = 0; i < dates.length; i += 1) {
        dates[i].hidden = !custom;
      }
    }
    period.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
