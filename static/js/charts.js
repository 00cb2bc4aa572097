/* Proposal statistics charts (templates/proposals/stats/index.html).
 *
 * The page passes its figures as <script type="application/json" id="stats-data"> (no inline JS: CSP).
 * Each <div class="chart" data-chart="KIND" data-series="NAME"> becomes an ECharts chart of data[NAME];
 * clicking a bar or slice opens the register filtered to the proposals behind it (data[NAME].urls).
 */
(function () {
  "use strict";

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
    if (kind === "bar2") {
      return {
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 40, right: 10, top: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: texts.received, type: "bar", data: series.values },
                 { name: texts.filed, type: "bar", data: series.filed }]
      };
    }
    if (kind === "hbar" || kind === "hbar-rate") {
      var values = kind === "hbar-rate" ? series.on_time_rate : series.values;
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 10, right: 30, top: 10, bottom: 10, containLabel: true },
        xAxis: { type: "value", max: kind === "hbar-rate" ? 100 : null, minInterval: 1 },
        yAxis: { type: "category", data: labels.slice().reverse() },
        series: [{ name: kind === "hbar-rate" ? texts.on_time_rate : texts.received, type: "bar",
                   data: values.slice().reverse() }]
      };
    }
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 10, right: 10, top: 20, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: series.values, label: { show: true, position: "top" } }]
    };
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
      var reversed = kind === "hbar" || kind === "hbar-rate";
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
