// Behaviour that used to be inline event handlers (the Content-Security-Policy forbids them):
// [data-print] prints the page, [data-select-on-focus] selects its text when focused.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});

// Form errors announced on every form, whatever template drew it (WCAG 3.3.1, 4.1.2): a field
// marked invalid (Bootstrap's .is-invalid) gets aria-invalid and is described by its message
// (the .invalid-feedback next to it or in its group); a form with errors and no summary of its
// own gets one with role="alert", listing the messages, and the first summary takes the focus
// so a screen reader reads it at once (unless the page focused a field already). Templates that do this already are left as they are.
(function () {
  "use strict";
  var count = 0;
  // The field's message: the next .invalid-feedback after it (or after its .form-check or
  // .input-group) before any other field, else the only message of its group (a fieldset of
  // radios, a column holding one field).
  function feedbackFor(field) {
    var node = field.closest(".input-group, .form-check") || field;
    for (var n = node.nextElementSibling; n; n = n.nextElementSibling) {
      if (n.classList.contains("invalid-feedback")) return n;
      if (n.matches("input, select, textarea, label, .form-check, .input-group")) break;
      if (n.querySelector("input, select, textarea")) break;
    }
    var group = node.parentElement;
    var messages = group ? group.querySelectorAll(":scope > .invalid-feedback") : [];
    return messages.length === 1 ? messages[0] : null;
  }
  function describe(field, message) {
    if (!message.id) message.id = "error-campo-" + ++count;
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(message.id) < 0) ids.push(message.id);
    field.setAttribute("aria-describedby", ids.join(" "));
  }
  function enhance(focus) {
    var invalid = document.querySelectorAll("main .is-invalid");
    invalid.forEach(function (field) {
      field.setAttribute("aria-invalid", "true");
      var message = feedbackFor(field);
      if (message) describe(field, message);
    });
    var summaries = [];
    document.querySelectorAll("main form").forEach(function (form) {
      if (!form.querySelector(".is-invalid")) return;
      var own = form.querySelector('[role="alert"]') || document.querySelector('main [role="alert"]');
      if (own) { summaries.push(own); return; }
      var messages = [];
      form.querySelectorAll(".invalid-feedback").forEach(function (m) {
        var text = m.textContent.trim();
        if (text && messages.indexOf(text) < 0) messages.push(text);
      });
      var summary = document.createElement("div");
      summary.className = "alert alert-danger";
      summary.setAttribute("role", "alert");
      summary.tabIndex = -1;
      var title = document.createElement("p");
      title.className = "fw-semibold mb-1";
      title.textContent = "No se guardó: revise los campos marcados.";
      summary.appendChild(title);
      var list = document.createElement("ul");
      list.className = "mb-0";
      messages.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      summary.appendChild(list);
      form.insertBefore(summary, form.firstChild);
      summaries.push(summary);
    });
    var first = summaries[0];
    // Only when the page put the focus nowhere (some pages focus the first invalid field).
    var unfocused = !document.activeElement || document.activeElement === document.body;
    if (focus === true && first && unfocused) {
      if (!first.hasAttribute("tabindex")) first.tabIndex = -1;
      first.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(true); });
  } else {
    enhance(true);
  }
  // Forms redrawn by htmx (a task form's "Agregar fila"...) get the same, without moving focus.
  document.addEventListener("htmx:afterSettle", function () { enhance(false); });
})();
