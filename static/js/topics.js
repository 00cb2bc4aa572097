/* Topic counts chart (templates/topics/index.html).
 *
 * The page passes its figures as <script type="application/json" id="topic-chart-data"> (no inline JS: CSP):
 * {labels: [topic names], series: [{name, values, urls}]}. The element [data-topic-chart] becomes a grouped
 * bar chart; clicking a bar whose series has URLs opens the list behind it (the proposal register filtered by
 * the topic and year).
 */
(function () {
  "use strict";

  function init() {
    var source = document.getElementById("topic-chart-data");
    var el = document.querySelector("[data-topic-chart]");
    if (!source || !el || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = data.labels || [];
    if (labels.length === 0) { el.hidden = true; return; }
    var series = data.series || [];
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 10, right: 10, top: 20, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) {
        return { name: s.name, type: "bar", data: s.values, label: { show: true, position: "top" } };
      })
    });
    chart.on("click", function (params) {
      var s = series[params.seriesIndex];
      var url = s && s.urls && s.urls[params.dataIndex];
      if (url) { window.location.href = url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
