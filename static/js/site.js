// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-insert-template]");
    if (!target) { return; }
    var field = document.getElementById(target.getAttribute("data-target"));
    var source = document.getElementById(target.getAttribute("data-insert-template"));
    if (field && source) {
      event.preventDefault();
      field.value = (field.value ? field.value + "\n\n" : "") + source.textContent.trim() + "\n";
      field.focus();
    }
  });
})();
