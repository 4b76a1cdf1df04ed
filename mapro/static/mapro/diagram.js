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

  // The smallest zoom at which the 12 px task names stay readable (about 8 px on screen).
  var READABLE = 0.7;
  var MARGIN = 20;

  function finite(n) {
    return typeof n === "number" && isFinite(n);
  }

  // Open the diagram fitted to the container's width, but never smaller than READABLE: a wide
  // procedure then opens at its start, readable, and the person pans or zooms out. The
  // container takes the diagram's height at that zoom (within limits). Nothing is done while
  // the container has no size (a hidden tab, a collapsed panel, not yet laid out): zooming
  // then divides by zero ("Failed to execute 'scale' on 'SVGMatrix': non-finite").
  function fit(element, canvas) {
    var width = element.clientWidth;
    if (!(width > 0)) return false;
    canvas.resized(); // drops the viewbox bpmn-js cached while the container had no size
    var inner = canvas.viewbox().inner;
    if (!inner || !finite(inner.width) || !(inner.width > 0) || !(inner.height > 0)) return false;
    var scale = Math.max(READABLE, Math.min(1, width / (inner.width + 2 * MARGIN)));
    var wanted = Math.round((inner.height + 2 * MARGIN) * scale);
    var minimum = width < 576 ? 280 : 220;
    var maximum = Math.max(minimum, Math.round(window.innerHeight * 0.75));
    element.style.height = Math.max(minimum, Math.min(wanted, maximum)) + "px";
    canvas.resized();
    var height = element.clientHeight;
    if (!(height > 0)) return false;
    canvas.viewbox({
      x: inner.x - MARGIN,
      y: inner.y - MARGIN,
      width: width / scale,
      height: height / scale,
    });
    return true;
  }

  function zoomBy(canvas, factor) {
    var current = canvas.zoom();
    if (!finite(current) || !(current > 0)) return;
    var next = Math.max(0.2, Math.min(4, current * factor));
    var box = canvas.viewbox();
    // Zoom around the centre of what is on screen, not the top-left corner.
    canvas.zoom(next, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  }

  // The toolbar of the figure (buttons with data-zoom="in" | "out" | "fit" | "whole").
  function tools(element, canvas) {
    var figure = element.closest("figure");
    if (!figure) return;
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-zoom");
        if (!(element.clientWidth > 0 && element.clientHeight > 0)) return;
        if (what === "in") zoomBy(canvas, 1.25);
        else if (what === "out") zoomBy(canvas, 0.8);
        else if (what === "whole") canvas.zoom("fit-viewport", "auto");
        else fit(element, canvas);
      });
    });
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
          tools(element, canvas);
          if (!fit(element, canvas) && "ResizeObserver" in window) {
            // Not laid out yet (hidden): fit once the container gets a size.
            var observer = new ResizeObserver(function () {
              if (fit(element, canvas)) observer.disconnect();
            });
            observer.observe(element);
          }
          var lastWidth = element.clientWidth;
          window.addEventListener("resize", function () {
            if (element.clientWidth !== lastWidth) {
              lastWidth = element.clientWidth;
              fit(element, canvas);
            }
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
