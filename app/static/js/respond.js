/* The client's page, progressively enhanced (the server is the real safety: nothing is
   sent without the check step, see app/respond/views.py).

   1. Enter in a radio button or a one-line field submits a form in every browser. On the
      answer form that would jump to the check step half-way through; here Enter does
      nothing instead, and only the button moves on. Enter in a text area still makes a
      new line, and Enter or Space on a button still presses it.
   2. When "Send my answers" is pressed, the check step's history entry is turned into a
      plain visit of the link (history.replaceState drops the entry's form data). Back
      after sending then asks the server for the link, which tells this browser that the
      answers were received, instead of the browser's "Confirm form resubmission" page. */
(function () {
  "use strict";

  function isTypingTarget(element) {
    if (!element || element.tagName !== "INPUT") {
      return false;
    }
    var type = (element.getAttribute("type") || "text").toLowerCase();
    return ["submit", "button", "reset", "image"].indexOf(type) === -1;
  }

  document.querySelectorAll("form[data-enter-does-not-submit]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && isTypingTarget(event.target)) {
        event.preventDefault();
      }
    });
  });

  document.querySelectorAll("form[data-final-send]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var sending = event.submitter && event.submitter.name === "send";
      if (sending && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.href);
      }
    });
  });
})();
