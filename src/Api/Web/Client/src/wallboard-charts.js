// Small per-minute charts for the wallboard (answered and abandoned calls of the last hour),
// drawn with uPlot. The wallboard's own script is a classic script; it finds this module as
// window.AiccCharts, and redraws when the module announces itself (modules load deferred).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const plots = new Map();

// Charts follow their card's width (a narrow window, a rotated tablet) without a redraw of the page.
const resizes = new ResizeObserver((entries) => {
  for (const entry of entries) {
    for (const plot of plots.values()) {
      const width = Math.max(120, Math.floor(entry.contentRect.width));
      if (plot.root.parentElement === entry.target && Math.abs(plot.width - width) > 2) {
        plot.setSize({ width, height: 70 });
      }
    }
  }
});

function options(width, labels) {
  return {
    width,
    height: 70,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      { show: false },
      { size: 28, ticks: { show: false }, grid: { stroke: "#eef1f5" }, font: "10px system-ui", values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : "")) },
    ],
    series: [
      {},
      { label: labels.answered, stroke: "#1f8a4c", fill: "rgba(31,138,76,.12)", width: 1.5, points: { show: false } },
      { label: labels.abandoned, stroke: "#c53030", width: 1.5, points: { show: false } },
    ],
  };
}

/** Draws or updates the chart in `container` (one per key); minutes are ISO strings. */
function draw(key, container, minutes, series, labels) {
  const xs = minutes.map((m) => Date.parse(m) / 1000);
  const data = [xs, series.answered, series.abandoned];
  const width = Math.max(120, Math.floor(container.clientWidth || 240));
  let plot = plots.get(key);
  if (plot && plot.root.parentElement !== container) {
    resizes.unobserve(plot.root.parentElement);
    plot.destroy();
    plot = undefined;
  }
  if (!plot) {
    plot = new uPlot(options(width, labels), data, container);
    plots.set(key, plot);
    resizes.observe(container);
    return;
  }
  if (Math.abs(plot.width - width) > 2) {
    plot.setSize({ width, height: 70 });
  }
  plot.setData(data);
}

/** Forgets charts whose cards are gone. */
function prune(keep) {
  for (const [key, plot] of plots) {
    if (!keep.has(key)) {
      resizes.unobserve(plot.root.parentElement);
      plot.destroy();
      plots.delete(key);
    }
  }
}

window.AiccCharts = { draw, prune };
document.dispatchEvent(new Event("aicc:charts"));
