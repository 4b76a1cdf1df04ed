// The month and year calendar of the annual cronogramas (FullCalendar 6, vendored).
// Events come from /api/v1/plans/calendar/ (session), the same dates as the iCalendar feed.
(function () {
  "use strict";
  var el = document.getElementById("plan-calendar");
  if (!el || !window.FullCalendar) {
    return;
  }
  var colors = { done: "#198754", overdue: "#dc3545", pending: "#0d6efd" };
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
