/** Display helpers (MIME bundles of values, tables, plotly figures) and the display API in a running kernel. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { isPlotlyFigure, mimeBundle, PLOTLY_MIME, type MimeBundle } from '../src/kernel/display.js';
import { setPublisher } from '../src/kernel/context.js';
import { ArgumentError } from '../src/core/errors.js';
import { lossCurve } from '../src/widgets/loss.js';
import { WIDGET_VIEW_MIME } from '../src/widgets/protocol.js';
import { runUnittest } from './jupyter/harness.js';

type DisplayModule = typeof import('../src/kernel/display.js');

/**
 * A fresh instance of the display module, as a new kernel process has: its plotly.js inlining
 * state starts over. (The statically imported instance is left to the widget test, whose widgets
 * display through it.)
 */
async function freshSession(tag: string): Promise<DisplayModule> {
  return (await import(`${new URL('../src/kernel/display.js', import.meta.url).href}?session=${tag}`)) as DisplayModule;
}

interface Sent {
  msgType: string;
  data: MimeBundle;
  displayId?: string;
}

/** Registers a publisher recording the display messages of a kernel session. */
function recordSession(): Sent[] {
  const sent: Sent[] = [];
  setPublisher((msgType, content) => {
    const c = content as { data?: MimeBundle; transient?: { display_id?: string } };
    if (c.data) sent.push({ msgType, data: c.data, displayId: c.transient?.display_id });
  });
  return sent;
}
afterEach(() => setPublisher(undefined));

/** How many copies of plotly.js an HTML output inlines (every other `</script` inside it is escaped). */
const libCopies = (html: unknown) => String(html).match(/<script type="text\/javascript" data-transportlab-plotly-lib>/g)?.length ?? 0;
const fig = (title: string) => ({ data: [{ type: 'scatter', x: [1, 2, 3], y: [4, 5, 6] }], layout: { title } });

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

test('plotly figures: native JSON with typed arrays as arrays, HTML fallback, plain text', async () => {
  const { plotlyBundle } = await freshSession('bundle');
  const f = { data: [{ type: 'histogram', x: new Float64Array([0.5, 1.5]) }], layout: { title: 'h' } };
  assert.ok(isPlotlyFigure(f));
  assert.ok(!isPlotlyFigure({ data: [1, 2] }));
  assert.ok(!isPlotlyFigure({ data: [], other: 1 }));
  const b = plotlyBundle(f);
  assert.deepEqual((b[PLOTLY_MIME] as { data: { x: number[] }[] }).data[0].x, [0.5, 1.5]);
  assert.equal(b['text/plain'], 'Plotly figure "h": 1 trace(s) (histogram)');
  assert.match(String(b['text/html']), /Plotly\.newPlot\("tl-plotly-[0-9a-f-]+"/);
  // the first figure inlines plotly.js with every `</script` inside it escaped: exactly two script ends
  assert.ok(String(b['text/html']).length > 1e6);
  assert.equal(libCopies(b['text/html']), 1);
  assert.equal(String(b['text/html']).match(/<\/script/gi)?.length, 2);
  const again = String(plotlyBundle(f)['text/html']);
  assert.ok(again.length < 10_000 && again.match(/<\/script/gi)?.length === 1, 'later figures reference window.Plotly');
  assert.throws(() => plotlyBundle({ data: 'no' } as never), ArgumentError);
});

test('the output carrying plotly.js keeps it through update_display_data; a fresh session inlines it again', async () => {
  const sent = recordSession();
  const { display } = await freshSession('a');
  const first = display(fig('first'));
  const second = display.plotly(fig('second'));
  first.update(fig('first, updated'));
  display.update(first.displayId, fig('first, updated again'));
  second.update(fig('second, updated'));
  assert.deepEqual(sent.map((s) => s.msgType), ['display_data', 'display_data', 'update_display_data', 'update_display_data', 'update_display_data']);
  const [shown1, shown2, upd1, upd1b, upd2] = sent;
  assert.equal(libCopies(shown1.data['text/html']), 1, 'the first figure inlines plotly.js');
  assert.equal(libCopies(shown2.data['text/html']), 0, 'a second figure references window.Plotly');
  assert.ok(String(shown2.data['text/html']).length < 10_000);
  for (const [u, title] of [[upd1, 'first, updated'], [upd1b, 'first, updated again']] as const) {
    assert.equal(u.displayId, first.displayId);
    assert.equal(libCopies(u.data['text/html']), 1, 'an update of the carrier still inlines plotly.js (once)');
    assert.match(String(u.data['text/html']), /Plotly\.newPlot\("tl-plotly-/);
    assert.ok(String(u.data['text/html']).includes(JSON.stringify(title)), 'with the new figure');
    assert.equal(u.data['text/plain'], `Plotly figure "${title}": 1 trace(s) (scatter)`);
  }
  assert.equal(upd2.displayId, second.displayId);
  assert.equal(libCopies(upd2.data['text/html']), 0, 'updates of other figures still reference it');

  // an update of the carrier without any HTML drops the library from the notebook: the next figure inlines it again
  display.update(first.displayId, 'done');
  display(fig('third'));
  assert.deepEqual(sent.at(-2)!.data, { 'text/plain': "'done'" });
  assert.equal(libCopies(sent.at(-1)!.data['text/html']), 1);

  // a new kernel session starts over: its first figure inlines plotly.js, with or without a display id
  const fresh = await freshSession('b');
  sent.length = 0;
  fresh.display(fig('fresh'), { displayId: 'mine' });
  assert.equal(sent[0].displayId, 'mine');
  assert.equal(libCopies(sent[0].data['text/html']), 1);
});

test('a live widget displayed first keeps plotly.js in its static fallback when it refreshes it at the end of a run', () => {
  const sent = recordSession();
  const w = lossCurve({ names: ['loss'], title: 'training' });
  for (let i = 0; i < 5; i++) w.record('loss', i, 1 / (i + 1));
  w.end('train', 'done');
  w.model.close();
  const shown = sent.filter((s) => s.msgType === 'display_data');
  const updates = sent.filter((s) => s.msgType === 'update_display_data');
  assert.equal(shown.length, 1);
  assert.equal(updates.length, 1);
  assert.equal(updates[0].displayId, shown[0].displayId);
  for (const s of [shown[0], updates[0]]) {
    assert.equal((s.data[WIDGET_VIEW_MIME] as { model_id: string }).model_id, w.model.modelId);
    assert.equal(libCopies(s.data['text/html']), 1, `${s.msgType}: the static fallback inlines plotly.js`);
  }
  // the refreshed fallback draws the data recorded during the run
  assert.deepEqual((updates[0].data[PLOTLY_MIME] as { data: { y: number[] }[] }).data[0].y, [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5].map((v) => Math.fround(v)));
});

test('display API in a running kernel', { timeout: 120_000 }, async (t) => {
  await runUnittest(t, 'test_display');
});
