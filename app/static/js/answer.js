/* The member's answer form, progressively enhanced (the form works without this file):
   - typing evidence ticks the category it belongs to (both sit in one fieldset);
   - the progress bar counts statements with both a rating and a confidence. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-answer-form]");
  if (!form) { return; }

  form.querySelectorAll("fieldset.category").forEach(function (group) {
    var box = group.querySelector("input[type=checkbox]");
    var evidence = group.querySelector("textarea");
    if (!box || !evidence) { return; }
    evidence.addEventListener("input", function () {
      if (evidence.value.trim() !== "" && !box.checked) { box.checked = true; }
    });
  });

  var bar = form.querySelector("[data-progress]");
  var text = form.querySelector("[data-progress-text]");
  function answered(group) {
    var scales = group.querySelectorAll("fieldset.scale-field");
    for (var i = 0; i < scales.length; i++) {
      if (!scales[i].querySelector("input[type=radio]:checked")) { return false; }
    }
    return scales.length > 0;
  }
  function update() {
    var groups = form.querySelectorAll("fieldset[data-dimension]");
    var done = 0;
    groups.forEach(function (group) { if (answered(group)) { done += 1; } });
    if (bar) { bar.value = done; bar.textContent = String(done); }
    if (text && text.dataset.template) {
      text.textContent = text.dataset.template
        .replace("{n}", String(done)).replace("{total}", String(groups.length));
    }
  }
  form.addEventListener("change", update);
  update();
})();
