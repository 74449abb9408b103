// A small line chart in inline SVG (no library): values over time, with axis labels and a text
// alternative; points are drawn as shapes so the chart does not rely on colour.
import { s, h } from './dom.js';

/**
 * @param {string} title
 * @param {{t: number, v: number, label?: string}[]} points t = epoch ms
 * @param {{unit?: string, width?: number, height?: number, yLabel?: string}} [options]
 */
export function lineChart(title, points, options = {}) {
  const width = options.width ?? 360;
  const height = options.height ?? 160;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const ts = sorted.map((p) => p.t);
  const vs = sorted.map((p) => p.v);
  let [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  let [v0, v1] = [Math.min(...vs), Math.max(...vs)];
  if (t0 === t1) { t0 -= 1; t1 += 1; }
  if (v0 === v1) { v0 -= 1; v1 += 1; }
  const margin = (v1 - v0) * 0.1;
  v0 -= margin;
  v1 += margin;
  const x = (/** @type {number} */ t) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (/** @type {number} */ v) => height - pad.b - ((v - v0) / (v1 - v0)) * (height - pad.t - pad.b);
  const integers = vs.every((v) => Number.isInteger(v));
  const fmt = (/** @type {number} */ v) => (integers || Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
  // Within two days, times of day; otherwise dates.
  const short = Math.max(...ts) - Math.min(...ts) < 2 * 86_400_000;
  const day = (/** @type {number} */ t) => (short ? new Date(t).toISOString().slice(11, 16) + ' UTC' : new Date(t).toISOString().slice(0, 10));
  const path = sorted.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const unit = options.unit ? ` ${options.unit}` : '';
  const desc = `${title}: ${sorted.length} values from ${day(t0)} to ${day(t1)}, lowest ${fmt(Math.min(...vs))}${unit}, highest ${fmt(Math.max(...vs))}${unit}, latest ${fmt(vs[vs.length - 1])}${unit}.`;
  return h('figure', { class: 'chart' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': desc, class: 'chart-svg' },
      s('line', { x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b, class: 'axis' }),
      s('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, class: 'axis' }),
      s('text', { x: pad.l - 6, y: y(v1 - margin) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(v1 - margin)),
      s('text', { x: pad.l - 6, y: y(v0 + margin) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(v0 + margin)),
      s('text', { x: pad.l, y: height - 8, class: 'tick' }, day(Math.min(...ts))),
      s('text', { x: width - pad.r, y: height - 8, 'text-anchor': 'end', class: 'tick' }, day(Math.max(...ts))),
      s('path', { d: path, class: 'line' }),
      sorted.map((p) => s('rect', { x: x(p.t) - 3, y: y(p.v) - 3, width: 6, height: 6, class: 'point' },
        s('title', {}, `${day(p.t)}: ${p.label ?? fmt(p.v) + unit}`)))),
    h('figcaption', {}, h('strong', {}, title), unit ? ` (${options.unit})` : '', ' — ', `latest ${fmt(vs[vs.length - 1])}${unit} on ${day(ts[ts.length - 1])}`));
}
