/**
 * Plotly figure specs of the widgets, computed kernel-side as pure functions of the data (so they
 * are tested as JSON structure and drawn identically by the live views and the static fallback).
 * Data arrays are Float32Arrays: they travel to the live views as binary buffers.
 *
 * @module
 */
import type { PlotlyFigure } from '../kernel/display.js';
import { binCenters, columnRange, histogram, histogram2d, kde, type Range, type Samples } from './density.js';

/** Colours of the sample, the reference and the known density. */
const COLORS = { samples: '#1f77b4', reference: '#ff7f0e', density: '#222222' };

/** How the marginals are drawn. */
export interface MarginalsFigureOptions {
  /** Names of the plotted coordinates (one per column of the samples). */
  labels: string[];
  /** 1-D estimate: histogram bars or a kernel density curve. */
  kind: 'hist' | 'kde';
  /** Bins of the 1-D histograms (grid points of the KDE: 4×). */
  bins: number;
  /** Bins per axis of the 2-D pair histograms; 0 draws no pairs. */
  bins2d: number;
  /** Reference samples of the same coordinates, drawn in a second colour. */
  reference?: Samples;
  /** A known marginal density of coordinate column `c` at the points `x`. */
  density?: (c: number, x: Float64Array) => ArrayLike<number>;
  /** Fixed plotting ranges per column (default: from the data). */
  ranges?: (Range | undefined)[];
  title?: string;
}

function axisName(kind: 'x' | 'y', cell: number): string {
  return cell === 1 ? kind : `${kind}${cell}`;
}

function axisKey(kind: 'x' | 'y', cell: number): string {
  return cell === 1 ? `${kind}axis` : `${kind}axis${cell}`;
}

function oneD(s: Samples, c: number, range: Range, opts: MarginalsFigureOptions, weights: ArrayLike<number> | undefined, name: string, color: string, cell: number): Record<string, unknown> {
  const axes = { xaxis: axisName('x', cell), yaxis: axisName('y', cell) };
  if (opts.kind === 'kde') {
    const points = 4 * opts.bins;
    return { type: 'scatter', mode: 'lines', name, x: binCenters(range, points), y: kde(s, c, range, points, weights), line: { color }, fill: 'tozeroy', showlegend: false, ...axes };
  }
  return { type: 'bar', name, x: binCenters(range, opts.bins), y: histogram(s, c, range, opts.bins, weights), marker: { color }, opacity: 0.6, showlegend: false, ...axes };
}

/**
 * The marginals of `samples` (optionally weighted by normalised `weights`): a histogram or KDE of
 * each coordinate on the diagonal of a k × k grid and 2-D histogram heatmaps of every pair below
 * it (a "corner plot"); with `bins2d = 0` or one coordinate, a single row of 1-D plots. A
 * reference sample and a known density curve, when given, are drawn over the 1-D plots.
 */
export function marginalsFigure(samples: Samples, weights: ArrayLike<number> | undefined, opts: MarginalsFigureOptions): PlotlyFigure {
  const k = opts.labels.length;
  const pairs = opts.bins2d > 0 && k > 1;
  const rows = pairs ? k : 1;
  const sets = opts.reference ? [samples, opts.reference] : [samples];
  const ranges = opts.labels.map((_, c) => opts.ranges?.[c] ?? columnRange(sets, c));
  const cellOf = (r: number, c: number) => (pairs ? r * k + c + 1 : c + 1);
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    grid: { rows, columns: k, pattern: 'independent' },
    height: 260 * rows + 60,
    margin: { l: 50, r: 20, t: opts.title ? 40 : 20, b: 40 },
    bargap: 0,
    ...(opts.title ? { title: { text: opts.title } } : {}),
  };
  for (let c = 0; c < k; c++) {
    const cell = cellOf(pairs ? c : 0, c);
    data.push(oneD(samples, c, ranges[c], opts, weights, opts.labels[c], COLORS.samples, cell));
    if (opts.reference) data.push(oneD(opts.reference, c, ranges[c], opts, undefined, `${opts.labels[c]} reference`, COLORS.reference, cell));
    if (opts.density) {
      const x = Float64Array.from(binCenters(ranges[c], 4 * opts.bins));
      const y = Float32Array.from(opts.density(c, x));
      data.push({ type: 'scatter', mode: 'lines', name: `${opts.labels[c]} density`, x: Float32Array.from(x), y, line: { color: COLORS.density, dash: 'dash' }, showlegend: false, xaxis: axisName('x', cell), yaxis: axisName('y', cell) });
    }
    layout[axisKey('x', cell)] = { range: ranges[c], title: { text: opts.labels[c] } };
  }
  if (pairs) {
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        const cell = cellOf(r, c);
        if (c > r) {
          layout[axisKey('x', cell)] = { visible: false };
          layout[axisKey('y', cell)] = { visible: false };
        }
        if (c >= r) continue;
        data.push({
          type: 'heatmap', name: `${opts.labels[c]} × ${opts.labels[r]}`,
          x: binCenters(ranges[c], opts.bins2d), y: binCenters(ranges[r], opts.bins2d),
          z: histogram2d(samples, c, r, ranges[c], ranges[r], opts.bins2d, weights),
          colorscale: 'Blues', reversescale: true, showscale: false, xaxis: axisName('x', cell), yaxis: axisName('y', cell),
        });
        layout[axisKey('x', cell)] = { range: ranges[c], title: { text: opts.labels[c] } };
        layout[axisKey('y', cell)] = { range: ranges[r], title: { text: opts.labels[r] } };
      }
    }
  }
  return { data, layout };
}

/** One line of a line chart. */
export interface Line {
  name: string;
  x: Float32Array;
  y: Float32Array;
  dash?: 'solid' | 'dash' | 'dot';
  /** Lines of one group share a colour. */
  group?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A line chart of `lines` (ESS against step, losses against iteration), optionally with a log y axis. */
export function linesFigure(lines: Line[], opts: { title?: string; xTitle: string; yTitle: string; logY?: boolean }): PlotlyFigure {
  const data = lines.map((l, i) => ({
    type: 'scatter', mode: 'lines', name: l.name, x: l.x, y: l.y,
    line: { color: PALETTE[(l.group ?? i) % PALETTE.length], dash: l.dash ?? 'solid' },
  }));
  return {
    data,
    layout: {
      height: 340,
      margin: { l: 60, r: 20, t: opts.title ? 40 : 20, b: 45 },
      ...(opts.title ? { title: { text: opts.title } } : {}),
      xaxis: { title: { text: opts.xTitle } },
      yaxis: { title: { text: opts.yTitle }, type: opts.logY ? 'log' : 'linear' },
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}
