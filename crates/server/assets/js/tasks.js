// Task page: reloads the live region of the open task when the server reports a change to it.
// The page works without this script, which only saves the user a reload. While the user types
// in a form inside the live region, the region is left alone and a notice requests a reload.
(function () {
  "use strict";

  var REFRESH_DELAY_MS = 300;

  function region() {
    return document.getElementById("task-live");
  }

  function showStaleNotice() {
    var notice = document.getElementById("task-stale");
    if (notice) {
      notice.hidden = false;
    }
  }

  function start() {
    var live = region();
    if (!live || typeof EventSource === "undefined" || typeof htmx === "undefined") {
      return;
    }
    var taskId = live.dataset.taskId;
    var editing = false;
    var timer = null;

    document.addEventListener("input", function (event) {
      var current = region();
      if (current && current.contains(event.target)) {
        editing = true;
      }
    });

    function refresh() {
      // One command commits several events; they arrive together and need one reload.
      clearTimeout(timer);
      timer = setTimeout(function () {
        var current = region();
        if (!current) {
          return;
        }
        if (editing) {
          showStaleNotice();
          return;
        }
        htmx.trigger(current, "task-changed");
      }, REFRESH_DELAY_MS);
    }

    var source = new EventSource("/events");
    source.addEventListener("task", function (event) {
      if (event.data === taskId) {
        refresh();
      }
    });
    source.addEventListener("resync", refresh);
    window.addEventListener("pagehide", function () {
      source.close();
    });

    // The action forms carry the version the page was opened at. Once the task has moved on,
    // sending them would meet a conflict, so a notice requests a reload first.
    document.addEventListener("htmx:afterSettle", function () {
      var current = region();
      var actions = document.querySelector(".task-actions[data-version]");
      if (current && actions && current.dataset.version !== actions.dataset.version) {
        showStaleNotice();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
