// The month and year calendar of the annual cronogramas (FullCalendar 6, vendored).
// Events come from /api/v1/plans/calendar/ (session), the same dates as the iCalendar feed.
(function () {
  "use strict";
  var el = document.getElementById("plan-calendar");
  if (!el || !window.FullCalendar) {
    return;
  }
  var colors = { done: "#198754", overdue: "#dc3545", pending: "#0d6efd" };
  // FullCalendar's markup made to meet WCAG 2.1 AA (axe-core checks it in the browser tests):
  // its icons are decoration inside buttons that have a name already, and a day cell is named
  // by what it shows (its number and its events), not by a label that leaves them out (2.5.3,
  // label in name; the day's number keeps its full date as its own label).
  function tidy() {
    el.querySelectorAll('.fc-icon[role="img"]').forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
    el.querySelectorAll("td[aria-labelledby]").forEach(function (cell) {
      cell.removeAttribute("aria-labelledby");
    });
  }
  new MutationObserver(tidy).observe(el, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-labelledby", "role"],
  });
  var calendar = new window.FullCalendar.Calendar(el, {
    locale: "es",
    initialView: el.dataset.initialView || "dayGridMonth",
    initialDate: el.dataset.initialDate || undefined,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,multiMonthYear" },
    buttonText: { month: "Mes", year: "Año", today: "Hoy" },
    height: "auto",
    events: {
      url: el.dataset.eventsUrl,
      failure: function () {
        el.insertAdjacentHTML(
          "beforebegin",
          '<div class="alert alert-danger" role="alert">No se pudieron cargar las fechas.</div>'
        );
      },
    },
    eventDidMount: function (info) {
      var state = info.event.extendedProps.state;
      if (colors[state]) {
        info.el.style.backgroundColor = colors[state];
        info.el.style.borderColor = colors[state];
        info.el.style.color = "#fff";
      }
      info.el.title =
        info.event.title + " (" + info.event.extendedProps.procedure + "): " +
        info.event.extendedProps.state_label;
    },
  });
  calendar.render();
})();
