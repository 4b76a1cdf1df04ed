/* mapro: draw a procedure's BPMN with bpmn-js (the global BpmnJS) and mark its progress.
 *
 * Every element with class "bpmn-diagram" and data-bpmn-url gets a viewer. Optional
 * data-completed / data-current hold JSON lists of BPMN element ids (Activity_<n>) that get the
 * CSS markers "mapro-completed" / "mapro-current" (styles in procedures.css).
 */
(function () {
  "use strict";

  function ids(element, name) {
    var raw = element.getAttribute(name);
    if (!raw) return [];
    try {
      var list = JSON.parse(raw);
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function say(element, text) {
    var status = element.querySelector(".bpmn-diagram-status");
    if (status) status.textContent = text;
  }

  // Give the container the diagram's proportions (within limits), then fit the diagram in it,
  // so a wide, flat diagram leaves no empty band below it.
  function fit(element, canvas) {
    var inner = canvas.viewbox().inner;
    if (inner && inner.width > 0) {
      var width = element.clientWidth || 800;
      var height = Math.round((width * (inner.height + 40)) / (inner.width + 40));
      var minimum = width < 576 ? 280 : 220;
      element.style.height = Math.max(minimum, Math.min(height, 640)) + "px";
      canvas.resized();
    }
    canvas.zoom("fit-viewport", "auto");
  }

  function draw(element) {
    var url = element.getAttribute("data-bpmn-url");
    if (!url) return;
    if (typeof window.BpmnJS !== "function") {
      say(element, "No se pudo cargar el visor de diagramas. Descargue el BPMN para verlo.");
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/xml" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (xml) {
        var viewer = new window.BpmnJS({ container: element });
        return viewer.importXML(xml).then(function () {
          var status = element.querySelector(".bpmn-diagram-status");
          if (status) status.remove();
          var canvas = viewer.get("canvas");
          var registry = viewer.get("elementRegistry");
          ids(element, "data-completed").forEach(function (id) {
            if (registry.get(id)) canvas.addMarker(id, "mapro-completed");
          });
          ids(element, "data-current").forEach(function (id) {
            if (registry.get(id)) canvas.addMarker(id, "mapro-current");
          });
          fit(element, canvas);
          window.addEventListener("resize", function () {
            fit(element, canvas);
          });
        });
      })
      .catch(function () {
        say(element, "No se pudo mostrar el diagrama. Descargue el BPMN para verlo.");
      });
  }

  function init() {
    document.querySelectorAll(".bpmn-diagram[data-bpmn-url]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
