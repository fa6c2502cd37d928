/** Display helpers (MIME bundles of values, tables, plotly figures) and the display API in a running kernel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { isPlotlyFigure, mimeBundle, plotlyBundle, PLOTLY_MIME } from '../src/kernel/display.js';
import { ArgumentError } from '../src/core/errors.js';
import { runUnittest } from './jupyter/harness.js';

test('mimeBundle: plain values as the REPL prints them, arquero tables as HTML', () => {
  assert.deepEqual(mimeBundle(3).data, { 'text/plain': '3' });
  assert.deepEqual(mimeBundle('ab').data, { 'text/plain': "'ab'" });
  const t = aq.table({ a: [1, 2], b: ['x', 'y'] });
  const { data } = mimeBundle(t);
  assert.match(String(data['text/html']), /^<table>.*<td[^>]*>x<\/td>/s);
  assert.equal(String(data['text/plain']).split('\n')[0], 'Table: 2 rows × 2 columns');
  const custom = { toMimeBundle: () => ({ 'text/latex': '$x$' }) };
  assert.equal(mimeBundle(custom).data['text/latex'], '$x$');
});

test('plotly figures: native JSON with typed arrays as arrays, HTML fallback, plain text', () => {
  const fig = { data: [{ type: 'histogram', x: new Float64Array([0.5, 1.5]) }], layout: { title: 'h' } };
  assert.ok(isPlotlyFigure(fig));
  assert.ok(!isPlotlyFigure({ data: [1, 2] }));
  assert.ok(!isPlotlyFigure({ data: [], other: 1 }));
  const b = plotlyBundle(fig);
  assert.deepEqual((b[PLOTLY_MIME] as { data: { x: number[] }[] }).data[0].x, [0.5, 1.5]);
  assert.equal(b['text/plain'], 'Plotly figure "h": 1 trace(s) (histogram)');
  assert.match(String(b['text/html']), /Plotly\.newPlot\("tl-plotly-[0-9a-f-]+"/);
  // the first figure inlines plotly.js with every `</script` inside it escaped: exactly two script ends
  assert.ok(String(b['text/html']).length > 1e6);
  assert.equal(String(b['text/html']).match(/<\/script/gi)?.length, 2);
  const again = String(plotlyBundle(fig)['text/html']);
  assert.ok(again.length < 10_000 && again.match(/<\/script/gi)?.length === 1, 'later figures reference window.Plotly');
  assert.throws(() => plotlyBundle({ data: 'no' } as never), ArgumentError);
});

test('display API in a running kernel', { timeout: 120_000 }, async (t) => {
  await runUnittest(t, 'test_display');
});
