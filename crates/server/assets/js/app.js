// theodoi page behaviour. Pages work without this script; it adds the CSRF header to htmx
// requests, guards forms against double submission and keeps countdowns current. Every text
// comes from data attributes rendered by the server, so the script holds no wording.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // A second click while the first submission is on its way sends nothing more. The server
  // also recognises a repeated submission by the form's idempotency key.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    form.querySelectorAll('button[type="submit"]').forEach(function (button) {
      button.setAttribute("aria-busy", "true");
    });
  });

  // How far the server's clock is ahead of the browser's, read once when the page loads.
  var clockOffset = (function () {
    var meta = document.querySelector('meta[name="server-time"]');
    var server = meta ? Date.parse(meta.getAttribute("content")) : NaN;
    return isNaN(server) ? 0 : server - Date.now();
  })();

  // Countdown: <time data-countdown datetime="RFC 3339" data-left="Còn {t}"
  // data-over="Quá hạn {t}" data-day="ngày" data-hour="giờ" data-minute="phút">.
  function describe(element, millis) {
    var minutes = Math.floor(Math.abs(millis) / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    var parts = [];
    if (days > 0) {
      parts.push(days + " " + element.dataset.day);
    }
    if (hours > 0) {
      parts.push(hours + " " + element.dataset.hour);
    }
    if (days === 0) {
      parts.push(rest + " " + element.dataset.minute);
    }
    var template = millis >= 0 ? element.dataset.left : element.dataset.over;
    return template.replace("{t}", parts.join(" "));
  }

  function refreshCountdowns(root) {
    (root || document).querySelectorAll("time[data-countdown]").forEach(function (element) {
      var due = Date.parse(element.getAttribute("datetime"));
      if (isNaN(due)) {
        return;
      }
      var left = due - (Date.now() + clockOffset);
      element.textContent = describe(element, left);
      element.classList.toggle("overdue", left < 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    refreshCountdowns(document);
    setInterval(function () { refreshCountdowns(document); }, 30000);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    refreshCountdowns(event.target);
  });
  // Parts swapped in beside the target, as the dashboard's live refresh does.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    refreshCountdowns(event.detail.target || event.target);
  });
})();
