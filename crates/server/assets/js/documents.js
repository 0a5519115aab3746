// Entry and handling forms of the Central Office. The forms work without this script. It
// disables the fields that a choice makes irrelevant, so that they are not sent. It also shows
// only the part of a feedback form that belongs to the chosen decision.
(function () {
  "use strict";

  // A classified document keeps no summary and no task content, so those fields are disabled
  // while the level is Mật or Tối mật.
  function applyLevel(form) {
    var level = form.querySelector("[data-confidentiality]");
    if (!level) {
      return;
    }
    var open = level.value === "" || level.value === "normal";
    form.querySelectorAll("[data-open-only]").forEach(function (field) {
      field.disabled = !open;
    });
  }

  // "No deadline" disables the deadline of its row.
  function applyDeadline(box) {
    var field = box.closest(".field");
    var input = field ? field.querySelector("[data-deadline]") : null;
    if (input) {
      input.disabled = box.checked;
    }
  }

  // A feedback form shows only the part of its chosen decision, or every part before a choice.
  function applyDecision(form) {
    var chosen = form.querySelector("[data-decision]:checked");
    form.querySelectorAll("[data-for]").forEach(function (part) {
      var decisions = part.getAttribute("data-for").split(" ");
      part.hidden = chosen !== null && decisions.indexOf(chosen.value) < 0;
    });
  }

  function setUp(root) {
    root.querySelectorAll("[data-entry-form]").forEach(applyLevel);
    root.querySelectorAll("[data-no-deadline]").forEach(applyDeadline);
    root.querySelectorAll("[data-handling]").forEach(applyDecision);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) {
      return;
    }
    if (target.matches("[data-confidentiality]")) {
      applyLevel(target.form);
    } else if (target.matches("[data-no-deadline]")) {
      applyDeadline(target);
    } else if (target.matches("[data-decision]")) {
      applyDecision(target.form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
