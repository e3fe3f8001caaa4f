/**
 * The console's chart script (plain ES5, served as a file: the pages' Content-Security-Policy
 * allows our own script files and no inline script). It draws each `[data-chart]` element from
 * the JSON in that attribute — the same figures as the table beside it, which stays for anyone
 * without script or reading by ear — with ECharts (loaded before it), on a canvas, tooltips
 * drawn on the canvas too (no HTML, so no inline style the policy would refuse), and redraws
 * them when the page's width changes (a phone turned, a window resized).
 *
 * Chart data (percentages 0–100, averages 1–5, null for "none"):
 * - `{type: "rates", labels, rates, targets}`: bars of the rate per kind, the target a mark;
 * - `{type: "satisfaction", labels, averages, answers}`: the average per week, a line.
 */
export const CONSOLE_CHARTS_SCRIPT = `(function () {
  var echarts = window.echarts;
  if (!echarts || !document.querySelectorAll) return;
  var BLUE = '#3370ff', RED = '#e5484d', INK = '#1f2329';
  var tooltip = { trigger: 'axis', renderMode: 'richText', confine: true };
  function orNone(v) { return v === null || v === undefined ? '-' : v; }

  function ratesOption(d) {
    var bars = [], marks = [];
    for (var i = 0; i < d.labels.length; i++) {
      var rate = d.rates[i], target = d.targets[i];
      bars.push({ value: orNone(rate), itemStyle: { color: rate !== null && rate < target ? RED : BLUE } });
      marks.push([target, d.labels[i]]);
    }
    return {
      aria: { enabled: true },
      tooltip: tooltip,
      legend: { top: 0, data: ['回访率', '目标'] },
      grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: d.labels, inverse: true },
      series: [
        { name: '回访率', type: 'bar', data: bars, barMaxWidth: 22, label: { show: true, position: 'right', formatter: '{c}%' } },
        { name: '目标', type: 'scatter', data: marks, symbol: 'rect', symbolSize: [4, 26], itemStyle: { color: INK }, z: 3 }
      ]
    };
  }

  function satisfactionOption(d) {
    var points = [];
    for (var i = 0; i < d.labels.length; i++) points.push(orNone(d.averages[i]));
    return {
      aria: { enabled: true },
      tooltip: tooltip,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.labels, boundaryGap: false },
      yAxis: { type: 'value', min: 1, max: 5, interval: 1 },
      series: [{ name: '满意度', type: 'line', data: points, connectNulls: true, symbolSize: 8, itemStyle: { color: BLUE }, label: { show: true } }]
    };
  }

  var charts = [];
  var nodes = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < nodes.length; i++) {
    var node = nodes[i], data;
    try { data = JSON.parse(node.getAttribute('data-chart')); } catch (e) { continue; }
    var option = data.type === 'rates' ? ratesOption(data) : data.type === 'satisfaction' ? satisfactionOption(data) : null;
    if (!option) continue;
    node.hidden = false;
    var chart = echarts.init(node, null, { renderer: 'canvas' });
    chart.setOption(option);
    charts.push(chart);
  }
  if (charts.length === 0) return;
  var pending = 0;
  function resize() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = 0;
      for (var j = 0; j < charts.length; j++) charts[j].resize();
    }, 100);
  }
  if (window.ResizeObserver) new window.ResizeObserver(resize).observe(document.body);
  else window.addEventListener('resize', resize);
})();
`;
