// Enhancements of the work pages; every page works without them. They move focus to the error
// summary, add product rows on request, show the completion date only for final statuses, and
// set the percentage to 100 for a completed task. Texts come from the page, not from here.
(function () {
  "use strict";

  var FINAL = ["completed", "done_not_completed"];

  function focusProblems() {
    var problems = document.getElementById("problems");
    if (problems) {
      problems.focus();
    }
  }

  // The next free row number: one past the highest in use, so names never collide.
  function nextIndex(rows) {
    var highest = -1;
    rows.querySelectorAll("input[name^='products[']").forEach(function (input) {
      var match = /^products\[(\d+)\]/.exec(input.name);
      if (match) {
        highest = Math.max(highest, parseInt(match[1], 10));
      }
    });
    return highest + 1;
  }

  function enableAddProduct() {
    var rows = document.querySelector("[data-product-rows]");
    var template = document.getElementById("product-row-template");
    var add = document.querySelector("[data-add-product]");
    if (!rows || !template || !add) {
      return;
    }
    add.hidden = false;
    add.addEventListener("click", function () {
      var html = template.innerHTML.split("__index__").join(String(nextIndex(rows)));
      rows.insertAdjacentHTML("beforeend", html);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input");
      if (first) {
        first.focus();
      }
    });
  }

  function followStatus() {
    var radios = document.querySelectorAll("input[name='status']");
    var completion = document.querySelector("[data-completion]");
    var percent = document.getElementById("f-percent");
    if (!radios.length || !completion) {
      return;
    }
    var dateInput = completion.querySelector("input");
    // On load the page shows what the user typed, so only a change of status sets the
    // percentage.
    function refresh(changed) {
      var checked = document.querySelector("input[name='status']:checked");
      var status = checked ? checked.value : "";
      var keep = FINAL.indexOf(status) >= 0 ||
        (dateInput && dateInput.value !== "") ||
        completion.classList.contains("invalid");
      completion.hidden = !keep;
      if (changed && percent && status === "completed") {
        percent.value = "100";
      }
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () {
        refresh(true);
      });
    });
    refresh(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusProblems();
    enableAddProduct();
    followStatus();
  });
})();
