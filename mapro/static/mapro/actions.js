// Behaviour that used to be inline event handlers (the Content-Security-Policy forbids them):
// [data-print] prints the page, [data-select-on-focus] selects its text when focused.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
