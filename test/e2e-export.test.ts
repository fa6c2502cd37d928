/**
 * `transportlab export --execute`: nbconvert runs a notebook on the transportlab kernel (widget
 * state kept) and the exported, self-contained HTML draws the widgets' plots offline in chromium,
 * next to an ordinary plotly output. A screenshot is saved under artifacts/.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArgumentError } from '../src/core/errors.js';
import { exportHtml } from '../src/cli/frontend.js';
import { launch, writeNotebook } from './browser/page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const dir = mkdtempSync(join(tmpdir(), 'tl-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CELLS = [
  `import { random, marginals, lossCurve } from 'transportlab';
const x = random.normal(random.key(1), 4000);
marginals({ data: x, n: 2000, d: 2 }, { bins: 30, bins2d: 20, title: 'N(0, I)' });
const l = lossCurve({ names: ['loss'] });
for (let i = 1; i <= 50; i++) l.update({ phase: 'training', step: i, total: 50, metrics: { loss: 1 / i } });
l.end('training', 'done');`,
  `display.plotly({ data: [{ type: 'scatter', x: [1, 2, 3], y: [3, 1, 2] }], layout: { title: { text: 'plain plotly' } } });`,
];

test('an executed notebook exports to HTML whose widgets and plots draw offline', { timeout: 240_000 }, async () => {
  const nb = writeNotebook(dir, 'export.ipynb', CELLS);
  const out = exportHtml(nb, { execute: true, output: join(dir, 'export.html') });
  const html = readFileSync(out, 'utf8');
  assert.match(html, /application\/vnd\.jupyter\.widget-state\+json/, 'widget state kept by the execution');
  assert.doesNotMatch(html, /cdn\.jsdelivr\.net\/npm\/@jupyter-widgets/, 'no CDN widget loader');
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction(() => document.body.dataset.widgetsRendered === 'true', undefined, { timeout: 60_000 });
    const traces = async (view: string) =>
      page.locator(`.tl-widget[data-view="${view}"] .tl-plot`).evaluate((el: HTMLElement & { data?: { type?: string; y?: ArrayLike<number> }[] }) => (el.data ?? []).map((t) => [t.type, t.y?.length ?? 0]));
    await page.locator('.tl-widget[data-view="MarginalsView"] .main-svg').first().waitFor();
    assert.deepEqual((await traces('MarginalsView')).filter((t) => t[0] === 'bar'), [['bar', 30], ['bar', 30]]);
    assert.deepEqual(await traces('LossView'), [['scatter', 50]]);
    const plain = page.locator('.plotly-graph-div .main-svg');
    await plain.first().waitFor({ timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-export.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('export refuses what is not a notebook', () => {
  assert.throws(() => exportHtml(join(dir, 'missing.ipynb')), ArgumentError);
  assert.throws(() => exportHtml(join(dir, 'export.ipynb'), { timeout: -1 }), /--timeout/);
});
