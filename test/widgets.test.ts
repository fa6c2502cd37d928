/**
 * Widgets, kernel side: the widget protocol as captured from the kernel's IOPub publisher (comm
 * open with state and binary buffers, updates, echo of front-end updates, request_state, custom
 * messages), buffer encoding, redraw coalescing against time, plot spec structure, density
 * estimates against the normal density within Monte Carlo error, the observers on a real MALA
 * run, the loss log toggle and the time slider's round trip, marginals along an ODE integration
 * (one t per plot, snapshots along t), and argument errors.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../src/core/errors.js';
import * as random from '../src/core/random.js';
import { setPublisher } from '../src/kernel/context.js';
import { tf, ready } from '../src/core/backend.js';
import { essBulk, essTail } from '../src/diagnostics/convergence.js';
import { solveOde } from '../src/interpolants/ode.js';
import { KERNELS, run } from '../src/mcmc/index.js';
import { gaussian } from '../src/targets/gaussian.js';
import {
  Coalescer, WidgetModel, essOverTime, histogram, histogram2d, kde, linesFigure, lossCurve, marginals, marginalsFigure, putBuffers, separateBuffers,
  timeSlider, binCenters, columnRange, WIDGET_VIEW_MIME, type Samples,
} from '../src/widgets/index.js';
import { capture, fromFrontend, type Sent } from './widgets-comm.js';

let sent: Sent[] = [];
beforeEach(() => {
  sent = [];
  capture(sent);
});
afterEach(() => setPublisher(undefined));

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const updates = (commId: string, method = 'update') => sent.filter((s) => s.msgType === 'comm_msg' && s.content.comm_id === commId && s.content.data.method === method);

test('separateBuffers moves typed arrays out of a nested state and putBuffers puts them back', () => {
  const a = new Float32Array([1, 2, 3]);
  const b = new Float32Array([4.5]);
  const state = { figure: { data: [{ x: a, y: [1, 2], name: 'n' }, b] }, t: 0.5 };
  const { state: json, bufferPaths, buffers } = separateBuffers(state);
  assert.deepEqual(bufferPaths, [['figure', 'data', 0, 'x'], ['figure', 'data', 1]]);
  assert.deepEqual(json, { figure: { data: [{ y: [1, 2], name: 'n' }, null] }, t: 0.5 });
  assert.ok(state.figure.data[0] instanceof Object && (state.figure.data[0] as { x: unknown }).x === a, 'input untouched');
  assert.deepEqual(Array.from(new Float32Array(buffers[0].buffer, buffers[0].byteOffset, 3)), [1, 2, 3]);
  putBuffers(json, bufferPaths, buffers);
  const back = json as unknown as { figure: { data: [{ x: DataView }, DataView] } };
  assert.equal(back.figure.data[0].x.getFloat32(4, true), 2);
  assert.equal(back.figure.data[1].getFloat32(0, true), 4.5);
  assert.throws(() => separateBuffers({ v: NaN }), ArgumentError);
  assert.throws(() => putBuffers({}, [['a']], []), ArgumentError);
});

test('WidgetModel speaks protocol 2.1.0: comm_open with state and buffers, update, echo_update, request_state, custom', async () => {
  const m = new WidgetModel('FigureModel', 'FigureView', { values: new Float32Array([0.25, -1]), label: 'a' });
  const open = sent.find((s) => s.msgType === 'comm_open')!;
  assert.equal(open.content.target_name, 'jupyter.widget');
  assert.deepEqual(open.metadata, { version: '2.1.0' });
  const st = open.content.data.state;
  assert.equal(st._model_module, 'transportlab-widgets');
  assert.equal(st._view_module, 'transportlab-widgets');
  assert.equal(st._model_name, 'FigureModel');
  assert.equal(st._view_name, 'FigureView');
  assert.equal(st.label, 'a');
  assert.equal('values' in st, false);
  assert.deepEqual(open.content.data.buffer_paths, [['values']]);
  assert.deepEqual(Array.from(f32(open.buffers[0])), [0.25, -1]);
  const id = m.modelId!;
  assert.equal(open.content.comm_id, id);

  m.set({ label: 'b', values: new Float32Array([3]) });
  const u = updates(id).at(-1)!;
  assert.deepEqual(u.content.data, { method: 'update', state: { label: 'b' }, buffer_paths: [['values']] });
  assert.deepEqual(Array.from(f32(u.buffers[0])), [3]);

  const seen: Record<string, unknown>[] = [];
  m.onChange((c) => void seen.push(c));
  await fromFrontend(id, { method: 'update', state: { label: 'from browser' }, buffer_paths: [] });
  assert.deepEqual(seen, [{ label: 'from browser' }]);
  assert.equal(m.get('label'), 'from browser');
  assert.deepEqual(updates(id, 'echo_update').at(-1)!.content.data.state, { label: 'from browser' });

  await fromFrontend(id, { method: 'request_state' });
  const full = updates(id).at(-1)!;
  assert.equal(full.content.data.state._model_name, 'FigureModel');
  assert.deepEqual(full.content.data.buffer_paths, [['values']]);

  const custom: unknown[] = [];
  m.onCustom((c, bufs) => void custom.push([c, bufs.length]));
  await fromFrontend(id, { method: 'custom', content: { event: 'click' } }, [Buffer.from([1, 2])]);
  assert.deepEqual(custom, [[{ event: 'click' }, 1]]);
  m.sendCustom({ hello: 1 }, [new Float32Array([7])]);
  assert.deepEqual(updates(id, 'custom').at(-1)!.content.data, { method: 'custom', content: { hello: 1 } });

  const bundle = m.mimeBundle({ 'text/html': '<b>x</b>' });
  assert.deepEqual(bundle[WIDGET_VIEW_MIME], { model_id: id, version_major: 2, version_minor: 1 });
  assert.equal(bundle['text/html'], '<b>x</b>');
  m.close();
  assert.equal(sent.at(-1)!.msgType, 'comm_close');
  assert.equal(m.live, false);
});

test('outside a kernel a model opens no comm and sends nothing', () => {
  setPublisher(undefined);
  const m = new WidgetModel('FigureModel', 'FigureView', { a: 1 });
  m.set({ a: 2 });
  assert.equal(m.live, false);
  assert.equal(m.modelId, undefined);
  assert.equal(m.get('a'), 2);
  assert.equal(sent.length, 0);
});

test('Coalescer: 1000 changes over 1 s of a 1 ms loop give at most 21 sends, and the last change is flushed', () => {
  let now = 0;
  const c = new Coalescer(() => undefined, 50, () => now);
  for (let i = 0; i < 1000; i++) {
    c.mark();
    now += 1;
  }
  assert.ok(c.sends >= 19 && c.sends <= 21, `sends ${c.sends}`);
  c.flush();
  const afterFlush = c.sends;
  assert.ok(afterFlush <= 21);
  c.flush();
  assert.equal(c.sends, afterFlush, 'nothing new, nothing sent');
  assert.throws(() => new Coalescer(() => undefined, 0), ArgumentError);
});

test('Coalescer: a change inside the interval is sent by the trailing timer', async () => {
  let n = 0;
  const c = new Coalescer(() => void n++, 20);
  c.mark();
  c.mark();
  assert.equal(n, 1);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(n, 2);
});

function normals(seed: number, n: number, d: number): Samples {
  return { data: random.normal(random.key(seed), n * d), n, d };
}

test('histogram and KDE of N(0,1) draws match the normal density within 5 Monte Carlo standard errors', () => {
  const n = 20000;
  const s = normals(11, n, 1);
  const range: [number, number] = [-4, 4];
  const bins = 40;
  const width = 8 / bins;
  const h = histogram(s, 0, range, bins);
  const centers = binCenters(range, bins);
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  for (let b = 0; b < bins; b++) {
    const p = phi(centers[b]) * width; // bin probability (midpoint rule; error ≪ MC error at this width)
    const se = Math.sqrt((p * (1 - p)) / n) / width;
    assert.ok(Math.abs(h[b] - p / width) <= 5 * se + 2e-3 * p / width, `bin ${b}: ${h[b]} vs ${p / width} (se ${se})`);
  }
  const mass = h.reduce((a, v) => a + v * width, 0);
  assert.ok(Math.abs(mass - 1) < 1e-3, `histogram mass ${mass}`);
  const points = 161;
  const k = kde(s, 0, range, points);
  const dx = 8 / (points - 1);
  const kmass = k.reduce((a, v) => a + v * dx, 0);
  assert.ok(Math.abs(kmass - 1) < 0.01, `kde mass ${kmass}`);
  // KDE at 0 is biased by the smoothing: E p̂(0) = φ_{√(1+h²)}(0); its sd is ≈ √(p(0)/(2√π n h)).
  const hBand = 1.06 * n ** -0.2;
  const expected = 1 / Math.sqrt(2 * Math.PI * (1 + hBand * hBand));
  const se0 = Math.sqrt(phi(0) / (2 * Math.sqrt(Math.PI) * n * hBand));
  assert.ok(Math.abs(k[80] - expected) < 5 * se0 + 0.01 * expected, `kde(0) ${k[80]} vs ${expected}`);
});

test('weighted histograms use the normalised weights; 2-D histograms integrate to the mass in the box', () => {
  const s: Samples = { data: new Float32Array([0.1, 0.1, 0.9, 0.9, 0.9, 0.1]), n: 3, d: 2 };
  const h = histogram(s, 0, [0, 1], 2, [1, 3, 0]);
  assert.deepEqual(Array.from(h), [0.5, 1.5]);
  const z = histogram2d(s, 0, 1, [0, 1], [0, 1], 2);
  assert.deepEqual(z, [[2 / 3 * 4 / 2, 2 / 3 * 4 / 2 / 2 * 0 + (4 / 3)], [0, 4 / 3]].map((r) => r.map(Math.fround)));
  const total = z.flat().reduce((a, v) => a + v * 0.25, 0);
  assert.ok(Math.abs(total - 1) < 1e-6);
});

test('marginalsFigure: a corner plot with histograms on the diagonal, pair heatmaps below, hidden axes above', () => {
  const s = normals(3, 500, 3);
  const ref = normals(4, 300, 3);
  const fig = marginalsFigure(s, undefined, {
    labels: ['a', 'b', 'c'], kind: 'hist', bins: 20, bins2d: 10, reference: ref,
    density: (_c, x) => Array.from(x, (v) => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)), title: 'T',
  });
  const layout = fig.layout as Record<string, any>;
  assert.deepEqual(layout.grid, { rows: 3, columns: 3, pattern: 'independent' });
  assert.equal(layout.title.text, 'T');
  const bars = fig.data.filter((t) => t.type === 'bar');
  const heat = fig.data.filter((t) => t.type === 'heatmap');
  const curves = fig.data.filter((t) => t.type === 'scatter');
  assert.equal(bars.length, 6, 'samples + reference per coordinate');
  assert.equal(heat.length, 3, 'one per pair below the diagonal');
  assert.equal(curves.length, 3);
  assert.deepEqual(bars.filter((b) => !String(b.name).includes('reference')).map((b) => [b.xaxis, b.yaxis]), [['x', 'y'], ['x5', 'y5'], ['x9', 'y9']]);
  assert.deepEqual(heat.map((h) => [h.xaxis, h.yaxis]), [['x4', 'y4'], ['x7', 'y7'], ['x8', 'y8']]);
  for (const cell of [2, 3, 6]) assert.equal(layout[`xaxis${cell}`].visible, false);
  assert.ok(bars[0].x instanceof Float32Array && (bars[0].x as Float32Array).length === 20);
  assert.equal((heat[0].z as number[][]).length, 10);
  assert.deepEqual(layout.xaxis4.range, layout.xaxis.range, 'pair x axis shares the range of its coordinate');
  const one = marginalsFigure(s, undefined, { labels: ['a'], kind: 'kde', bins: 10, bins2d: 30 });
  assert.deepEqual((one.layout as any).grid, { rows: 1, columns: 1, pattern: 'independent' });
  assert.equal(one.data.length, 1);
  assert.equal(one.data[0].type, 'scatter');
  assert.equal((one.data[0].x as Float32Array).length, 40);
});

test('linesFigure: one scatter line per series, log axis on request, dashes and colour groups', () => {
  const x = new Float32Array([1, 2]);
  const fig = linesFigure([{ name: 'bulk', x, y: x, group: 0 }, { name: 'tail', x, y: x, dash: 'dash', group: 0 }], { xTitle: 'step', yTitle: 'ESS', logY: true });
  assert.equal(fig.data.length, 2);
  assert.equal((fig.data[1].line as any).dash, 'dash');
  assert.equal((fig.data[0].line as any).color, (fig.data[1].line as any).color);
  assert.equal((fig.layout as any).yaxis.type, 'log');
  assert.equal((fig.layout as any).xaxis.title.text, 'step');
});

test('marginals + essOverTime observe a MALA run live: coalesced updates, final figures, ESS equal to the diagnostics on the draws', async () => {
  const target = gaussian({ dim: 3 });
  const n = 16;
  const steps = 400;
  const m = marginals({ dims: [0, 2], intervalMs: 50 });
  const e = essOverTime({ dims: [0, 1], points: 10 });
  const t0 = performance.now();
  const res = await run(random.key(5), KERNELS.mala(target), target.sample!(random.key(6), n), n, { progress: false, warmup: 100, steps, stepSize: 0.5, observers: [m, e] });
  const wall = performance.now() - t0;
  const displays = sent.filter((s) => s.msgType === 'display_data');
  assert.equal(displays.length, 2);
  assert.equal(displays[0].content.data[WIDGET_VIEW_MIME].model_id, m.model.modelId);
  assert.ok(displays[0].content.data['application/vnd.plotly.v1+json'], 'static plotly fallback');
  const mUpdates = updates(m.model.modelId!);
  // ≤ one redraw per 50 ms, plus a trailing one and a final flush per phase.
  assert.ok(mUpdates.length >= 2 && mUpdates.length <= wall / 50 + 4, `${mUpdates.length} updates in ${wall.toFixed(0)} ms`);
  assert.equal(m.redraws, mUpdates.length);
  // Marginals: the sampling phase's draws (all kept: 16 × 400 < 20000), the final figure sent last.
  const fig = m.figure();
  assert.equal(fig.data.filter((t) => t.type === 'bar').length, 2);
  const last = mUpdates.at(-1)!;
  assert.ok(last.content.data.buffer_paths.length > 0);
  const title = (fig.layout as any).title.text as string;
  assert.match(title, /sampling 400\/400/);
  // ESS: the last point, over all 400 draws, equals the diagnostics on the trace.
  const ef = e.figure();
  assert.equal(ef.data.length, 4);
  const bulk0 = ef.data[0];
  // at most 10 evaluations (every 40 steps, fewer when over the time budget), always at the last step
  const xs = Array.from(bulk0.x as Float32Array);
  assert.ok(xs.length >= 2 && xs.length <= 10, `${xs.length} ESS points`);
  assert.ok(xs.every((x, i) => x % 40 === 0 && (i === 0 || x > xs[i - 1])), `${xs}`);
  assert.equal(xs.at(-1), steps);
  const chains = res.trace.chains(0);
  assert.equal(chains[0].length, steps);
  assert.ok(Math.abs((bulk0.y as Float32Array).at(-1)! - essBulk(chains)) <= 1e-3 * essBulk(chains));
  assert.ok(Math.abs((ef.data[1].y as Float32Array).at(-1)! - essTail(chains)) <= 1e-3 * essTail(chains));
  const updatesE = updates(e.model.modelId!);
  assert.ok(updatesE.length >= 2, 'ESS plot changed during the run');
  // the display's static fallback is refreshed when a phase ends
  assert.ok(sent.some((s) => s.msgType === 'update_display_data'));
});

test('essOverTime from importance weights: Kish ESS at every step, against t', () => {
  const e = essOverTime({ display: false });
  const logw = new Float32Array([0, 0, Math.log(2), -Infinity]);
  e.start('annealing', 2);
  e.update({ phase: 'annealing', step: 1, total: 2, metrics: {}, t: 0.5, logWeights: logw, samples: normals(1, 4, 1) });
  const fig = e.figure();
  assert.equal(fig.data.length, 1);
  assert.equal(fig.data[0].name, 'IS-ESS');
  assert.deepEqual(Array.from(fig.data[0].x as Float32Array), [0.5]);
  assert.ok(Math.abs((fig.data[0].y as Float32Array)[0] - 16 / 6) < 1e-5, '(1+1+2)² / (1+1+4)');
  assert.equal((fig.layout as any).xaxis.title.text, 't');
});

test('lossCurve: curves per metric, toggling log scale from the browser redraws with a log axis', async () => {
  const l = lossCurve({ names: ['loss', 'kl'] });
  for (let i = 1; i <= 5; i++) l.update({ phase: 'training', step: i, total: 5, metrics: { loss: 1 / i, kl: 2 / i, other: 1 } });
  l.end('training', 'done');
  const fig = l.figure();
  assert.deepEqual(fig.data.map((t) => t.name), ['loss', 'kl']);
  assert.deepEqual(Array.from(fig.data[0].x as Float32Array), [1, 2, 3, 4, 5]);
  assert.equal((fig.layout as any).yaxis.type, 'linear');
  const id = l.model.modelId!;
  await fromFrontend(id, { method: 'update', state: { log_y: true }, buffer_paths: [] });
  assert.equal(l.logY, true);
  const redraw = updates(id).at(-1)!;
  assert.equal(redraw.content.data.state.figure.layout.yaxis.type, 'log');
  assert.throws(() => lossCurve({ names: [] as string[] }), ArgumentError);
});

test('timeSlider: a t from the browser reaches the kernel, which redraws the marginals at t from the callback', async () => {
  const calls: number[] = [];
  const at = (t: number): Samples => {
    calls.push(t);
    const s = normals(7, 2000, 2);
    for (let i = 0; i < s.data.length; i += 2) s.data[i] += 10 * t;
    return s;
  };
  const w = await timeSlider({ at, dims: [0, 1], bins2d: 0 });
  const id = w.model.modelId!;
  assert.deepEqual(calls, [0]);
  const before = w.figure();
  await fromFrontend(id, { method: 'update', state: { t: 0.7 }, buffer_paths: [] });
  assert.deepEqual(w.received, [0.7]);
  assert.deepEqual(calls, [0, 0.7]);
  const after = updates(id).at(-1)!.content.data.state.figure;
  assert.match(after.layout.title.text, /t = 0\.700/);
  const centre = (f: any) => f.xaxis.range[0] + f.xaxis.range[1];
  assert.ok(centre(after.layout) - centre(before.layout as any) > 10, 'the x marginal moved right by 7');
  await fromFrontend(id, { method: 'update', state: { t: 2 }, buffer_paths: [] });
  assert.deepEqual(w.received, [0.7], 'out-of-range t rejected');
});

test('timeSlider without a callback keeps snapshots of a loop reporting t and shows the nearest', async () => {
  const w = await timeSlider({ dims: [0], snapshots: 3, display: false });
  for (let k = 0; k <= 10; k++) {
    const s = normals(k, 200, 1);
    for (let i = 0; i < s.n; i++) s.data[i] += 100 * (k / 10);
    w.update({ phase: 'sde', step: k + 1, total: 11, metrics: {}, t: k / 10, samples: s });
  }
  w.end('sde', 'done');
  assert.deepEqual(w.snapshotTimes, [0, 0.5, 1]);
  await w.moveTo(0.45);
  const range = (w.figure().layout as any).xaxis.range as number[];
  assert.ok(range[0] > 40 && range[1] < 60, `nearest snapshot t = 0.5: ${range}`);
});

/** The histogram bars marginals draw for column `j` of `s` alone (default bins, range from `s`). */
function barsOf(s: Samples, j: number): number[] {
  return Array.from(histogram(s, j, columnRange([s], j), 40));
}

test('marginals and timeSlider observing an RK4 integration show the samples of the current t only, and snapshots along t', async () => {
  await ready();
  const n = 400;
  const x0 = normals(21, n, 2);
  const v = tf.tensor2d([[8, -4]]);
  const field = (_t: number, x: tf.Tensor2D) => tf.add(tf.mul(x, 0), v) as tf.Tensor2D;
  const slider = await timeSlider({ dims: [1, 0], labels: ['y', 'x'], bins2d: 0, snapshots: 4, display: false });
  const live = marginals({ dims: [0, 1], bins2d: 0, display: false });
  const start = tf.tensor2d(x0.data, [n, 2]);
  const r = await solveOde(field, start, { method: 'rk4', steps: 20, observers: [slider, live], progress: false });
  const xT: Samples = { data: r.x.dataSync() as Float32Array, n, d: 2 };
  tf.dispose([v, start, r.x]);
  // The plot after the run is the marginal of the samples at t = 1, not of all 20 steps together.
  const bars = (fig: ReturnType<typeof live.figure>) => fig.data.filter((t) => t.type === 'bar').map((t) => Array.from(t.y as Float32Array));
  assert.deepEqual(bars(live.figure()), [barsOf(xT, 0), barsOf(xT, 1)]);
  assert.deepEqual(bars(slider.figure()), [barsOf(xT, 1), barsOf(xT, 0)]);
  assert.deepEqual(slider.snapshotTimes.map((t) => Math.round(t * 100) / 100), [0.05, 0.4, 0.75, 1]);
  // Moving back to t = 0.42 shows the snapshot at 0.4 (x0 + 0.4 v, exact for RK4 on a constant field), columns in dims order.
  await slider.moveTo(0.42);
  const x40: Samples = { data: x0.data.map((x, i) => x + 0.4 * (i % 2 === 0 ? 8 : -4)), n, d: 2 };
  const shown = slider.figure();
  const layout = shown.layout as Record<string, any>;
  assert.match(layout.title.text, /t = 0\.400/);
  assert.equal(slider.model.get('t'), slider.snapshotTimes[1], 'the slider moves to the snapshot shown');
  assert.equal(layout.xaxis.title.text, 'y');
  for (const [c, j] of [[0, 1], [1, 0]]) {
    const range = columnRange([x40], j);
    const axis = layout[c === 0 ? 'xaxis' : 'xaxis2'].range as number[];
    assert.ok(Math.abs(axis[0] - range[0]) < 1e-4 && Math.abs(axis[1] - range[1]) < 1e-4, `column ${j}: ${axis} vs ${range}`);
  }
});

test('marginals accumulate draws at one t and replace them at a new t; a phase end keeps its last t as a snapshot', async () => {
  const a = normals(31, 100, 1);
  const b = normals(32, 100, 1);
  for (let i = 0; i < b.n; i++) b.data[i] += 3;
  const both: Samples = { data: Float32Array.from([...a.data, ...b.data]), n: 200, d: 1 };
  const m = marginals({ dims: [0], display: false });
  const step = (t: number | undefined, s: Samples, k: number) => m.update({ phase: 'p', step: k, total: 2, metrics: {}, t, samples: s });
  step(1, a, 1);
  step(1, b, 2);
  assert.deepEqual(Array.from(m.figure().data[0].y as Float32Array), barsOf(both, 0), 'same t: draws accumulate (replica exchange at β = 1)');
  m.start('p');
  step(0.5, a, 1);
  step(1, b, 2);
  assert.deepEqual(Array.from(m.figure().data[0].y as Float32Array), barsOf(b, 0), 'new t: replaced');
  m.end('p', 'done');
  // An adaptive integrator reports total = maxSteps: its last step is kept when the phase ends.
  const w = await timeSlider({ dims: [0], snapshots: 3, display: false });
  w.start('ode');
  for (const [k, t] of [0.2, 0.45, 0.9, 1].entries()) w.update({ phase: 'ode', step: k + 1, total: 10000, metrics: {}, t, samples: k % 2 ? a : b });
  assert.deepEqual(w.snapshotTimes, [0.2, 0.9]);
  w.end('ode', 'done');
  assert.deepEqual(w.snapshotTimes, [0.2, 0.9, 1]);
  assert.equal(w.model.get('t'), 1);
});

test('marginals: the plain-text description names the coordinates by their labels', () => {
  const m = marginals(normals(2, 50, 3), { dims: [2, 0], labels: ['β', 'α'], display: false });
  assert.match(String(m.toMimeBundle()['text/plain']), /marginals of β, α \(50 samples\)/);
  assert.match(String(marginals(normals(2, 50, 3), { dims: [2, 0], display: false }).toMimeBundle()['text/plain']), /marginals of x\[2\], x\[0\]/);
});

test('bad widget arguments are ArgumentErrors naming the argument', () => {
  assert.throws(() => marginals({ dims: [] }), /dims/);
  assert.throws(() => marginals({ dims: [0, 0] }), /dims/);
  assert.throws(() => marginals({ kind: 'violin' as 'hist' }), /kind/);
  assert.throws(() => marginals({ bins: 0 }), /bins/);
  assert.throws(() => marginals({ dims: [0], reference: { data: new Float32Array(3), n: 2, d: 2 } }), /reference/);
  assert.throws(() => marginals({ dims: [0, 5], display: false }).update({ phase: 's', step: 1, total: 1, metrics: {}, samples: normals(1, 2, 2) }), /dims/);
  assert.throws(() => marginals({ data: new Float32Array([1, NaN]), n: 1, d: 2 } as Samples), ArgumentError);
  assert.throws(() => essOverTime({ points: -1 }), /points/);
  assert.throws(() => essOverTime({ budget: 0 }), /budget/);
  assert.throws(() => essOverTime({ dims: [3] }).update({ phase: 's', step: 1, total: 1, metrics: {}, samples: normals(1, 2, 2) }), /dims/);
  assert.throws(() => new WidgetModel('', 'V', {}), /modelName/);
  return assert.rejects(timeSlider({ t: 3 }), /t: expected/);
});
