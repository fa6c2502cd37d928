/**
 * End to end, in Debian's chromium: `transportlab lab` (jupyter_server + the bundled front-end +
 * the transportlab kernel) lists the notebooks, opens one, runs a cell sampling GMM-40 with MALA
 * while `marginals` and `essOverTime` redraw live (the plots' data must change at least twice while
 * the cell runs), moves the t-slider (the kernel must receive the value and answer with a new
 * figure), interrupts a running cell, restarts the kernel and saves the notebook with its outputs
 * and widget state, reopens it with the widgets drawn from the saved state, and toggles the loss
 * curve's log scale through the kernel. A screenshot is saved under artifacts/.
 *
 * Needs: /usr/bin/chromium, /usr/bin/python3 with jupyter_server, the built package (dist/, with
 * the widgets exported from 'transportlab') and the built front-end (frontend/dist).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LONG, RECEIVED, SAMPLE, SLIDER } from './browser/cells.js';
import { openSession, type Session } from './browser/session.js';
import { assertRedrawnLive, figureOf, moveSlider, recordRedraws, redrawsOf, waitForSliderAt } from './browser/widgets.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

const LOSS = `import { lossCurve } from 'transportlab';
const lc = lossCurve({ names: ['loss'] });
for (let i = 1; i <= 200; i++) lc.update({ phase: 'training', step: i, total: 200, metrics: { loss: Math.exp(-i / 20) } });
lc.end('training', 'done');`;

let session: Session;

before(async () => {
  session = await openSession({ ui: 'page', notebook: 'live.ipynb', cells: [SAMPLE, SLIDER, RECEIVED, LONG, '1 + 1', LOSS], folders: ['sub'] });
});

after(() => session?.close());

/** Runs cell `i` with the toolbar's Run button and waits until its prompt shows a number. */
async function runCell(page: Page, i: number, timeout = 120_000): Promise<void> {
  const cell = page.locator('.tl-code-cell').nth(i);
  await cell.locator('.tl-prompt').click();
  await page.click('#tl-run');
  await page.waitForFunction((k) => /\[\d+\]/.test(document.querySelectorAll('.tl-code-cell .tl-prompt')[k]?.textContent ?? ''), i, { timeout });
}

/** Saves with the toolbar and waits until the page says it is saved. */
async function save(page: Page): Promise<void> {
  await page.click('#tl-save');
  await page.waitForFunction(() => !/unsaved/.test(document.getElementById('tl-kernel-status')?.textContent ?? 'unsaved'), undefined, { timeout: 30_000 });
}

function outputText(page: Page, i: number): Promise<string> {
  return page.locator('.tl-code-cell').nth(i).locator('.tl-outputs').innerText();
}

test('the bundled front-end lists notebooks, runs live widgets on the kernel, moves the t-slider, interrupts, restarts and saves', { timeout: 300_000 }, async (t) => {
  const { server, browser, dir } = session;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // File list
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const names = await page.locator('.tl-files a').allInnerTexts();
  assert.deepEqual(names, ['sub/', 'live.ipynb']);

  // Open the notebook
  await page.click('text=live.ipynb');
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('tl-kernel-status')?.dataset.status === 'idle', undefined, { timeout: 60_000 });
  assert.equal(await page.locator('.tl-code-cell').count(), 6);

  // Record every redraw of the widget plots with whether the cell was still running.
  await recordRedraws(page, { selector: '.tl-code-cell.tl-running' });

  await runCell(page, 0);
  const out0 = await outputText(page, 0);
  assert.match(out0, /acceptance 0\.\d+ redraws \d+ \d+/);
  t.diagnostic(assertRedrawnLive(await redrawsOf(page), ['MarginalsView', 'EssView']));
  assert.equal(await page.locator('.tl-widget[data-view="MarginalsView"] .tl-plot .main-svg').first().isVisible(), true);

  // The t-slider: the kernel receives t and answers with the marginals at t.
  await runCell(page, 1);
  const slider = page.locator('.tl-widget[data-view="TimeSliderView"]');
  await slider.locator('.tl-plot .main-svg').first().waitFor();
  const before = await figureOf(slider);
  assert.match(before.title, /t = 0\.000/);
  await moveSlider(slider, 0.7);
  await waitForSliderAt(page, 0.7);
  const afterMove = await figureOf(slider);
  assert.notEqual(afterMove.y, before.y, 'the figure changed');
  await runCell(page, 2);
  assert.match(await outputText(page, 2), /\[0\.7\]/, 'the kernel received t = 0.7');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-frontend.png'), fullPage: true });

  // Save: outputs and widget state (with the figures' binary buffers) in the file.
  await save(page);
  const saved = JSON.parse(readFileSync(join(dir, 'live.ipynb'), 'utf8'));
  assert.match(saved.cells[0].outputs.map((o: { text?: string }) => o.text ?? '').join(''), /acceptance/);
  assert.ok(saved.cells[0].outputs.some((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.jupyter.widget-view+json']), 'widget outputs saved');
  const state = saved.metadata.widgets['application/vnd.jupyter.widget-state+json'].state as Record<string, { model_name: string; buffers?: unknown[] }>;
  assert.deepEqual(Object.values(state).map((m) => m.model_name).sort(), ['EssModel', 'MarginalsModel', 'TimeSliderModel']);
  assert.ok(Object.values(state).every((m) => (m.buffers?.length ?? 0) > 0), 'figures saved with binary buffers');

  // Interrupt a running cell, restart the kernel (its widgets are gone).
  const long = page.locator('.tl-code-cell').nth(3);
  await long.locator('.tl-prompt').click();
  await page.click('#tl-run');
  await page.waitForSelector('.tl-code-cell.tl-running');
  await page.waitForTimeout(500);
  await page.click('#tl-interrupt');
  await page.waitForFunction(() => !document.querySelector('.tl-code-cell.tl-running'), undefined, { timeout: 30_000 });
  assert.match(await outputText(page, 3), /Interrupt/i);
  await page.click('#tl-restart');
  await page.waitForFunction(() => document.body.dataset.restarts === '1' && document.getElementById('tl-kernel-status')?.dataset.status === 'idle', undefined, { timeout: 60_000 });

  // Reopened, the saved widget state draws the widgets without any kernel-side model.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const restored = page.locator('.tl-widget[data-view="MarginalsView"] .tl-plot');
  await restored.locator('.main-svg').first().waitFor({ timeout: 30_000 });
  const bars = await restored.evaluate((el: HTMLElement & { data?: { type?: string; y?: ArrayLike<number> }[] }) => (el.data ?? []).filter((t) => t.type === 'bar').map((t) => t.y?.length ?? 0));
  assert.deepEqual(bars, [60, 60], 'the saved histograms (60 bins per coordinate)');

  // The restarted kernel counts from 1; saving keeps the output.
  await page.waitForFunction(() => document.getElementById('tl-kernel-status')?.dataset.status === 'idle', undefined, { timeout: 60_000 });
  await runCell(page, 4);
  assert.match(await outputText(page, 4), /^2$/m);
  assert.match(await page.locator('.tl-code-cell').nth(4).locator('.tl-prompt').innerText(), /\[1\]/, 'a fresh kernel counts from 1');

  // The loss curve's log-scale checkbox goes to the kernel, which redraws with a log axis.
  await runCell(page, 5);
  const loss = page.locator('.tl-widget[data-view="LossView"]');
  await loss.locator('.tl-plot .main-svg').first().waitFor();
  const axisType = () => loss.locator('.tl-plot').evaluate((el: HTMLElement & { layout?: { yaxis?: { type?: string } } }) => el.layout?.yaxis?.type);
  assert.equal(await axisType(), 'linear');
  await loss.locator('input.tl-log-toggle').check();
  await page.waitForFunction(() => {
    const el = document.querySelector('.tl-widget[data-view="LossView"] .tl-plot') as (HTMLElement & { layout?: { yaxis?: { type?: string } } }) | null;
    return el?.layout?.yaxis?.type === 'log';
  }, undefined, { timeout: 30_000 });

  await save(page);
  const resaved = JSON.parse(readFileSync(join(dir, 'live.ipynb'), 'utf8'));
  assert.equal([resaved.cells[4].outputs[0].data['text/plain']].flat().join(''), '2');
  assert.deepEqual(errors, [], 'no uncaught page errors');
});
