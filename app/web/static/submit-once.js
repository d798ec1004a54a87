/* A form marked data-submit-once is sent once: a second click (or a double click) while the first is on its way
 * sends nothing more, so a slow connection does not make two petitions. Back on the page, it may be sent again. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sending;
    });
  });
})();
