/* Statistics charts of the proposals page (templates/proposals/stats/index.html) and the 社情民意 page
 * (templates/opinions/stats.html).
 *
 * The page passes its figures as <script type="application/json" id="stats-data"> (no inline JS: CSP).
 * Each <div class="chart" data-chart="KIND" data-series="NAME"> becomes an ECharts chart of data[NAME];
 * clicking a bar or slice opens the list behind it (data[NAME].urls) when the page gives one.
 *
 * Kinds: "pie"; "bar" (one labelled column per label, the default); and the bar kinds of BARS below, whose
 * horizontal ones (HORIZONTAL) list the first label at the top.
 */
(function () {
  "use strict";

  // For each bar kind, its bars: [field of data[NAME] holding the values, key of data.texts naming them].
  var BARS = {
    bar2: [["values", "received"], ["filed", "filed"]],              // proposals: received and filed per category
    levels: [["adopted", "adopted"], ["instructed", "instructed"]],  // 社情民意: adoptions and instructions per level
    hbar: [["values", "received"]],                                  // proposals: received per sector
    "hbar-rate": [["on_time_rate", "on_time_rate"]],                 // proposals: departments' on-time rate (%)
    hbar2: [["submitted", "submitted"], ["adopted", "adopted"]]      // 社情民意: submitted and adopted per row
  };
  var HORIZONTAL = { hbar: true, "hbar-rate": true, hbar2: true };

  function bars(kind, series, texts) {
    return BARS[kind].map(function (bar) {
      var values = series[bar[0]];
      return { name: texts[bar[1]], type: "bar", data: HORIZONTAL[kind] ? values.slice().reverse() : values };
    });
  }

  function build(kind, series, texts) {
    var labels = series.labels || [];
    if (kind === "pie") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"],
          data: labels.map(function (label, i) { return { name: label, value: series.values[i] }; }) }]
      };
    }
    if (!BARS[kind]) {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 10, right: 10, top: 20, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: series.values, label: { show: true, position: "top" } }]
      };
    }
    var option = { tooltip: { trigger: "axis" }, series: bars(kind, series, texts) };
    var legend = BARS[kind].length > 1;
    if (legend) { option.legend = { bottom: 0 }; }
    if (HORIZONTAL[kind]) {
      option.grid = { left: 10, right: 30, top: 10, bottom: legend ? 40 : 10, containLabel: true };
      option.xAxis = { type: "value", minInterval: 1 };
      if (kind === "hbar-rate") { option.xAxis.max = 100; }  // a percentage
      option.yAxis = { type: "category", data: labels.slice().reverse() };
    } else if (kind === "bar2") {
      // Many long category names: show them all, tilted when they would not fit.
      option.grid = { left: 40, right: 10, top: 20, bottom: 60, containLabel: true };
      option.xAxis = { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } };
      option.yAxis = { type: "value", minInterval: 1 };
    } else {
      option.grid = { left: 10, right: 10, top: 20, bottom: 40, containLabel: true };
      option.xAxis = { type: "category", data: labels };
      option.yAxis = { type: "value", minInterval: 1 };
    }
    return option;
  }

  function init() {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var series = data[el.getAttribute("data-series")];
      if (!series || !series.labels || series.labels.length === 0) { el.hidden = true; return; }
      var chart = window.echarts.init(el);
      chart.setOption(build(kind, series, data.texts || {}));
      var reversed = HORIZONTAL[kind] === true;
      chart.on("click", function (params) {
        var i = reversed ? series.labels.length - 1 - params.dataIndex : params.dataIndex;
        var url = series.urls && series.urls[i];
        if (url) { window.location.href = url; }
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
