// 统计: the charts, drawn with the locally served ECharts from /dashboard/data.
document.addEventListener("DOMContentLoaded", async () => {
  const host = document.getElementById("charts");
  if (!host || !window.echarts) return;
  const data = await (await fetch(host.dataset.src)).json();
  const names = data.rule_names;
  const colours = { allow: "#1b6e3a", warn: "#e0a800", review: "#d66b00", block: "#b3261e" };
  const zh = { allow: "放行", warn: "提醒", review: "暂扣待审", block: "拦截" };
  const draw = (id, option) => {
    const el = document.getElementById(id);
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 48, right: 16, top: 36, bottom: 36 } }, option));
    window.addEventListener("resize", () => chart.resize());
  };
  const stacked = (rows, key) => ["allow", "warn", "review", "block"].map((d) => ({
    name: zh[d], type: "bar", stack: "all", itemStyle: { color: colours[d] }, data: rows.map((r) => r[d]),
  }));
  draw("chart-days", {
    legend: { top: 0 }, xAxis: { type: "category", data: data.days.map((r) => r.key) }, yAxis: { type: "value" },
    series: [
      { name: "检查", type: "line", data: data.days.map((r) => r.total) },
      { name: "拦截与暂扣", type: "line", itemStyle: { color: colours.block }, data: data.days.map((r) => r.block + r.review) },
    ],
  });
  draw("chart-rules", { legend: { top: 0 }, xAxis: { type: "category", data: data.rules.map((r) => r.key) }, yAxis: { type: "value" }, series: stacked(data.rules) });
  draw("chart-channels", { legend: { top: 0 }, xAxis: { type: "category", data: data.channels.map((r) => r.name) }, yAxis: { type: "value" }, series: stacked(data.channels) });
  draw("chart-top", {
    grid: { left: 150, right: 24, top: 16, bottom: 24 }, tooltip: { trigger: "item" },
    yAxis: { type: "category", inverse: true, data: data.top.map((r) => `${r.key} ${names[r.key] || ""}`) }, xAxis: { type: "value" },
    series: [{ type: "bar", itemStyle: { color: colours.block }, data: data.top.map((r) => r.warn + r.review + r.block) }],
  });
  draw("chart-rates", {
    legend: { top: 0 }, xAxis: { type: "category", data: data.rates.map((r) => r.rule) },
    yAxis: { type: "value", max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series: [
      { name: "确认发送率", type: "bar", data: data.rates.map((r) => r.override_rate) },
      { name: "误报率", type: "bar", data: data.rates.map((r) => r.false_alarm_rate) },
    ],
  });
  const q = data.queue;
  draw("chart-queue", {
    tooltip: { trigger: "item" }, xAxis: { type: "category", data: ["待审", "审查中", "已超时", "已放行", "已驳回", "超时未审"] }, yAxis: { type: "value" },
    series: [{ type: "bar", data: [q.pending, q.claimed, q.overdue, q.approved, q.rejected, q.expired].map((v, i) => ({ value: v, itemStyle: { color: i === 2 || i === 5 ? colours.block : "#1d4f91" } })) }],
  });
});
