// theodoi dashboard: draws the twelve-month trend with the vendored Chart.js from the JSON the
// server puts in `data-chart`, redraws it when a live refresh replaces that data, and shows a
// notice while live refreshes fail. The page works without this script: the table of the same
// numbers then stays visible. Every text comes from the page.
(function () {
  "use strict";

  var chart = null;
  // Series key → colour variable of app.css.
  var COLOURS = { on_time: "--ok", late: "--late", overdue: "--warn" };

  function colour(variable) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
    return value || "#5b636b";
  }

  function trendData() {
    var holder = document.querySelector("#dash-trend [data-chart]");
    if (!holder) {
      return null;
    }
    try {
      return JSON.parse(holder.getAttribute("data-chart"));
    } catch (error) {
      return null;
    }
  }

  function datasets(data) {
    return data.series.map(function (series) {
      var fill = colour(COLOURS[series.key] || "--idle");
      return { label: series.label, data: series.data, backgroundColor: fill, borderColor: fill };
    });
  }

  function drawTrend() {
    var canvas = document.getElementById("dash-trend-chart");
    var data = trendData();
    if (!canvas || !data || typeof window.Chart === "undefined") {
      return;
    }
    if (chart) {
      // Updating in place keeps the chart where it is instead of redrawing it from empty.
      chart.data.labels = data.labels;
      datasets(data).forEach(function (fresh, index) {
        if (chart.data.datasets[index]) {
          chart.data.datasets[index].data = fresh.data;
        } else {
          chart.data.datasets.push(fresh);
        }
      });
      chart.update();
      return;
    }
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets(data) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    var section = canvas.closest(".dash-trend");
    if (section) {
      section.classList.add("chart-drawn");
    }
  }

  function stale(shown) {
    var notice = document.getElementById("dash-stale");
    if (notice) {
      notice.hidden = !shown;
    }
  }

  function fromRefresher(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === "dash-refresh";
  }

  document.addEventListener("DOMContentLoaded", drawTrend);

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.target && event.target.id === "dash-trend") {
      drawTrend();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (fromRefresher(event)) {
      stale(!event.detail.successful);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (fromRefresher(event)) {
      stale(true);
    }
  });

  // Changes made while the live connection was down were never announced, so request
  // whatever changed once it is back. The response is empty when nothing did.
  document.addEventListener("htmx:sseOpen", function () {
    stale(false);
    var refresher = document.getElementById("dash-refresh");
    if (refresher && window.htmx) {
      window.htmx.trigger(refresher, "sse:resync");
    }
  });

  document.addEventListener("htmx:sseError", function () {
    stale(true);
  });
})();
