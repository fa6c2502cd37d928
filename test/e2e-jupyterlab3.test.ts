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
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RECEIVED, SAMPLE, SLIDER } from './browser/cells.js';
import { openSession, type Session } from './browser/session.js';
import { assertRedrawnLive, figureOf, recordRedraws, redrawsOf, waitForSliderAt } from './browser/widgets.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** A plain plotly figure: the kernel sends application/vnd.plotly.v1+json, text/html (plotly.js inlined) and text/plain. */
const FIGURE = "({ data: [{ type: 'bar', x: ['a', 'b', 'c'], y: [1, 3, 2] }], layout: { title: { text: 'bars' } } })";

let session: Session;

before(async () => {
  session = await openSession({ ui: 'jupyterlab3', notebook: 'live.ipynb', cells: [SAMPLE, SLIDER, RECEIVED, FIGURE] });
});

after(() => session?.close());

const cell = (page: Page, i: number) => page.locator('.jp-Notebook .jp-Cell').nth(i);

/** Selects cell `i`, runs it with Ctrl+Enter and waits until its prompt shows an execution count. */
async function runCell(page: Page, i: number, timeout = 120_000): Promise<void> {
  await cell(page, i).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((k) => /\[\d+\]/.test(document.querySelectorAll('.jp-Notebook .jp-Cell .jp-InputPrompt')[k]?.textContent ?? ''), i, { timeout });
}

test('JupyterLab 3.6 loads the transportlab-widgets labextension: live widgets, the t-slider to the kernel, a plain plotly figure, Ctrl+S saves', { timeout: 170_000 }, async (t) => {
  const { server, browser, dir } = session;
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

  // Record every redraw of a widget plot, with whether cell 0 was still running (`[*]`).
  await recordRedraws(page, { selector: '.jp-Notebook .jp-Cell .jp-InputPrompt', contains: '*' });

  const runAt = await page.evaluate(() => performance.now());
  await runCell(page, 0);
  assert.match(await cell(page, 0).locator('.jp-OutputArea').innerText(), /acceptance 0\.\d+ redraws \d+ \d+/);
  const redraws = await redrawsOf(page);
  t.diagnostic(assertRedrawnLive(redraws, ['MarginalsView', 'EssView']));
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
  const start = await figureOf(slider);
  assert.match(start.title, /t = 0\.000/);
  const input = slider.locator('input.tl-t-slider');
  const box = await input.boundingBox();
  assert.ok(box, 'the slider is on screen');
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
  const value = Number(await input.inputValue());
  assert.ok(value > 0.5 && value < 0.9, `the slider moved to about 0.7: ${value}`);
  await waitForSliderAt(page, value);
  assert.notEqual((await figureOf(slider)).y, start.y, 'the figure changed');
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
