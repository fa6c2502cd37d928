/**
 * End to end, in Debian's chromium: `transportlab lab --ui jupyterlab3` (jupyterlab_server's
 * LabServerApp + the JupyterLab 3.6 app of frontend/jupyterlab/v3 + the transportlab kernel).
 * The page config lists the prebuilt transportlab-widgets labextension (widgets/lab/labextension,
 * built for JupyterLab 4) and the 3.6 host loads it through module federation: a cell sampling
 * GMM-40 with MALA draws `marginals` and `essOverTime` as live widget views (not the static HTML
 * fallback) whose figures change at least twice while the cell runs; a click on the t-slider
 * reaches the kernel (printed by a later cell) and the kernel answers with a new figure; a plain
 * plotly figure draws from its text/html bundle; Ctrl+S saves the outputs to the .ipynb. Reports the times to a restored Lab and to the first widget
 * draw; saves a screenshot under artifacts/.
 *
 * Needs: /usr/bin/chromium, /usr/bin/python3 with jupyter_server and jupyterlab_server, the built
 * package (dist/), the labextension and the app (both built on first use, see src/cli/frontend.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFrontend, type RunningFrontend } from '../src/cli/frontend.js';
import { launch, writeNotebook } from './browser/page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

const SAMPLE = `import { run, mala, random, targets, marginals, essOverTime } from 'transportlab';
const target = targets.gmm40();
const n = 32;
const x0 = random.uniform(random.key(1), n * 2, -40, 40);
const m = marginals({ dims: [0, 1], bins: 60, bins2d: 40 });
const e = essOverTime({ dims: [0], points: 60, budget: 1 });
const res = await run(random.key(2), mala(target), x0, n, { warmup: 500, steps: 30000, stepSize: 0.5, observers: [m, e] });
console.log('acceptance', res.acceptance.toFixed(3), 'redraws', m.redraws, e.redraws);`;

const SLIDER = `import { timeSlider } from 'transportlab';
const x1 = res.trace.samples();
const z = random.normal(random.key(3), x1.length);
const path = await timeSlider({ dims: [0, 1], at: (t) => ({ data: x1.map((v, i) => (1 - t) * 5 * z[i] + t * v), n: x1.length / 2, d: 2 }) });`;

const RECEIVED = 'console.log(JSON.stringify(path.received));';

/** A plain plotly figure: the kernel sends application/vnd.plotly.v1+json, text/html (plotly.js inlined) and text/plain. */
const FIGURE = "({ data: [{ type: 'bar', x: ['a', 'b', 'c'], y: [1, 3, 2] }], layout: { title: { text: 'bars' } } })";

/** One redraw of a widget plot, recorded in the page. */
interface Redraw {
  view: string;
  /** which plot element (a re-rendered output is a new element) */
  plot: number;
  running: boolean;
  data: string;
  /** ms since navigation start */
  at: number;
}

let server: RunningFrontend;
let browser: Browser;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tl-e2e-lab3-'));
  writeNotebook(dir, 'live.ipynb', [SAMPLE, SLIDER, RECEIVED, FIGURE]);
  server = await startFrontend({ ui: 'jupyterlab3', dir, log: () => undefined });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cell = (page: Page, i: number) => page.locator('.jp-Notebook .jp-Cell').nth(i);

/** Selects cell `i`, runs it with Ctrl+Enter and waits until its prompt shows an execution count. */
async function runCell(page: Page, i: number, timeout = 120_000): Promise<void> {
  await cell(page, i).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((k) => /\[\d+\]/.test(document.querySelectorAll('.jp-Notebook .jp-Cell .jp-InputPrompt')[k]?.textContent ?? ''), i, { timeout });
}

test('JupyterLab 3.6 loads the transportlab-widgets labextension: live widgets, the t-slider to the kernel, a plain plotly figure, Ctrl+S saves', { timeout: 170_000 }, async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2200 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await page.goto(`${server.baseUrl}lab/tree/live.ipynb?reset&token=${server.token}`);
  const federated = await page.evaluate(() => JSON.parse(document.getElementById('jupyter-config-data')?.textContent ?? '{}').federated_extensions as { name: string; load: string; extension?: string }[]);
  const widgets = federated.find((e) => e.name === 'transportlab-widgets');
  assert.ok(widgets, `transportlab-widgets in the page config's federated_extensions: ${JSON.stringify(federated)}`);
  assert.equal(widgets.extension, './extension');

  // Restored: the splash screen is gone and the notebook shows its cells.
  await page.waitForFunction(() => !document.getElementById('jupyterlab-splash') && document.querySelectorAll('.jp-Notebook .jp-Cell').length > 0, undefined, { timeout: 60_000 });
  const restoredMs = await page.evaluate(() => performance.now());
  assert.equal(await page.locator('.jp-Notebook .jp-Cell').count(), 4);
  await page.locator('#jp-main-statusbar', { hasText: 'TypeScript (transportlab) | Idle' }).waitFor({ timeout: 60_000 });

  // Record every redraw of a widget plot: view, plot element, whether cell 0 was still running,
  // the data, when. (The kernel's display updates at phase ends re-render an output as a new
  // element; live redraws are those of one element.)
  await page.evaluate(() => {
    const w = window as unknown as { redraws: Redraw[] };
    w.redraws = [];
    const plots = new Map<Element, number>();
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement & { data?: { y?: ArrayLike<number> }[] };
        const prompt = document.querySelectorAll('.jp-Notebook .jp-Cell .jp-InputPrompt')[0]?.textContent ?? '';
        if (!plots.has(el)) plots.set(el, plots.size);
        w.redraws.push({
          view: el.closest('.tl-widget')?.getAttribute('data-view') ?? '?',
          plot: plots.get(el)!,
          running: prompt.includes('*'),
          data: JSON.stringify((el.data ?? []).map((d) => Array.from(d.y ?? []).slice(0, 80))),
          at: performance.now(),
        });
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-revision'] });
  });

  const runAt = await page.evaluate(() => performance.now());
  await runCell(page, 0);
  assert.match(await cell(page, 0).locator('.jp-OutputArea').innerText(), /acceptance 0\.\d+ redraws \d+ \d+/);
  const redraws = await page.evaluate(() => (window as unknown as { redraws: Redraw[] }).redraws);
  for (const view of ['MarginalsView', 'EssView']) {
    const live = redraws.filter((r) => r.view === view && r.running);
    const perPlot = new Map<number, Set<string>>();
    for (const r of live) perPlot.set(r.plot, (perPlot.get(r.plot) ?? new Set()).add(r.data));
    const changes = Math.max(0, ...[...perPlot.values()].map((d) => d.size));
    // one plot: the first figure, then at least two changes
    assert.ok(changes >= 3, `${view}: at most ${changes} distinct figures drawn in one plot while the cell ran (${live.length} redraws in ${perPlot.size} plots)`);
  }
  // Live widget views of transportlab-widgets in the outputs (the widget-view renderer), not the
  // static text/html fallback of the display bundle.
  const marginals = cell(page, 0).locator('.jp-OutputArea-output > .tl-widget[data-view="MarginalsView"]');
  assert.equal(await marginals.locator('.tl-plot .main-svg').first().isVisible(), true);
  assert.equal(await cell(page, 0).locator('.jp-RenderedHTMLCommon').count(), 0, 'no static HTML fallback');
  const firstDrawMs = Math.min(...redraws.map((r) => r.at));

  // The t-slider: a click at 70% of the track; the kernel receives t and answers with the figure at t.
  await runCell(page, 1);
  const slider = cell(page, 1).locator('.tl-widget[data-view="TimeSliderView"]');
  await slider.locator('.tl-plot .main-svg').first().waitFor();
  const figureOf = () => slider.locator('.tl-plot').evaluate((el: HTMLElement & { data?: { y?: ArrayLike<number> }[]; layout?: { title?: { text?: string } } }) => ({
    title: el.layout?.title?.text ?? '',
    y: JSON.stringify(Array.from(el.data?.[0]?.y ?? [])),
  }));
  const start = await figureOf();
  assert.match(start.title, /t = 0\.000/);
  const input = slider.locator('input.tl-t-slider');
  const box = await input.boundingBox();
  assert.ok(box, 'the slider is on screen');
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
  const value = Number(await input.inputValue());
  assert.ok(value > 0.5 && value < 0.9, `the slider moved to about 0.7: ${value}`);
  await page.waitForFunction((title) => {
    const el = document.querySelector('.tl-widget[data-view="TimeSliderView"] .tl-plot') as (HTMLElement & { layout?: { title?: { text?: string } } }) | null;
    return (el?.layout?.title?.text ?? '').includes(title);
  }, `t = ${value.toFixed(3)}`, { timeout: 30_000 });
  assert.notEqual((await figureOf()).y, start.y, 'the figure changed');
  await runCell(page, 2);
  assert.equal((await cell(page, 2).locator('.jp-OutputArea').innerText()).trim(), JSON.stringify([value]), 'the kernel received t');

  // A plain figure: this Lab has no plotly renderer, so its trusted text/html draws it with plotly.js.
  await runCell(page, 3);
  await cell(page, 3).locator('.jp-RenderedHTMLCommon .plotly-graph-div .main-svg').first().waitFor({ timeout: 30_000 });
  assert.equal(await cell(page, 3).locator('.plotly-graph-div .gtitle').textContent(), 'bars');

  await cell(page, 0).scrollIntoViewIfNeeded();
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-jupyterlab3.png'), fullPage: true });

  // Ctrl+S: the outputs are in the file.
  const dirty = page.locator('.lm-TabBar-tab.jp-mod-dirty');
  assert.equal(await dirty.count(), 1, 'the notebook has unsaved changes');
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty'), undefined, { timeout: 30_000 });
  const saved = JSON.parse(readFileSync(join(dir, 'live.ipynb'), 'utf8')) as { cells: { outputs: { text?: string | string[]; data?: Record<string, unknown> }[] }[] };
  const text = (i: number) => saved.cells[i].outputs.map((o) => [o.text ?? ''].flat().join('')).join('');
  assert.match(text(0), /acceptance 0\.\d+/);
  assert.ok(saved.cells[0].outputs.some((o) => o.data?.['application/vnd.jupyter.widget-view+json']), 'widget outputs saved');
  assert.equal(text(2).trim(), JSON.stringify([value]));

  assert.deepEqual(errors, [], 'no errors on the console (the labextension and all plugins loaded)');
  t.diagnostic(`restored ${(restoredMs / 1000).toFixed(1)} s after navigation; first widget draw ${((firstDrawMs - runAt) / 1000).toFixed(1)} s after running the cell (${(firstDrawMs / 1000).toFixed(1)} s after navigation)`);
});
