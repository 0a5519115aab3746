// Organisation selects with a search box. The server lists only the bodies above the
// subordinate units (and the reader's own units) in each select, because the whole tree has
// thousands of units. This script shows the search box that the page renders hidden beside
// such a select and, as the user types, adds the matching organisations to the select.
// Without the script the select still offers the listed bodies.
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_LENGTH = 2;
  var LIMIT = 50;

  function start(input) {
    var select = document.getElementById(input.dataset.orgSearch);
    if (!select) {
      return;
    }
    var lang = document.documentElement.lang || "vi";
    var timer = null;
    var latest = 0;
    var group = document.createElement("optgroup");
    group.label = input.dataset.resultsLabel;

    function show(found) {
      var chosen = select.value;
      group.textContent = "";
      found.forEach(function (org) {
        var option = document.createElement("option");
        option.value = String(org.id);
        var name = lang === "en" && org.name_en ? org.name_en : org.name_vi;
        option.textContent = name + " (" + org.code + ")";
        group.appendChild(option);
      });
      if (found.length === 0) {
        var none = document.createElement("option");
        none.disabled = true;
        none.textContent = input.dataset.noneLabel;
        group.appendChild(none);
      }
      // The results come first, after the "all bodies" option, so the user sees them.
      select.insertBefore(group, select.options[0] ? select.options[0].nextSibling : null);
      select.value = chosen;
    }

    function search() {
      var words = input.value.trim();
      if (words.length < MIN_LENGTH) {
        group.remove();
        return;
      }
      var ticket = ++latest;
      var url = "/api/v1/organisations?limit=" + LIMIT + "&lang=" + encodeURIComponent(lang) +
        "&q=" + encodeURIComponent(words);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          // A response to an earlier search that arrives late is ignored.
          if (ticket === latest) {
            show(found);
          }
        })
        .catch(function () {});
    }

    input.hidden = false;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    // Enter in the search box picks the first result instead of submitting the filters.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = group.querySelector("option:not([disabled])");
        if (first) {
          select.value = first.value;
          select.focus();
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-org-search]").forEach(start);
  });
})();
