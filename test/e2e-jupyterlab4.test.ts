/**
 * End to end, in Debian's chromium: `transportlab lab --ui jupyterlab4` (JupyterLab 4 assembled
 * from npm, frontend/jupyterlab/v4, on Debian's jupyterlab_server, with the prebuilt
 * transportlab-widgets labextension). Opens a notebook in the full JupyterLab UI and checks that
 * the labextension is listed in the page config and its plugin activated, that a MALA run on
 * GMM-40 draws `marginals` and `essOverTime` as live widget views (plotly inside the widget, not the
 * static HTML fallback) redrawn while the cell runs, that moving the t-slider reaches the kernel
 * and changes the figure, that the toolbar's interrupt stops a running cell, and that Ctrl+S
 * saves the outputs and the widget state. Reports the time to `lab.restored` and to the first
 * widget draw; saves a screenshot under artifacts/.
 *
 * Needs: /usr/bin/chromium, /usr/bin/python3 with jupyter_server and jupyterlab_server, the built
 * package (dist/), the built labextension (widgets/lab/labextension) and the JupyterLab 4 app
 * (built by startFrontend when missing: `node frontend/jupyterlab/v4/build.mjs`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LONG, RECEIVED, SAMPLE, SLIDER } from './browser/cells.js';
import { writeNotebook } from './browser/page.js';
import { openSession, type Session } from './browser/session.js';
import { assertRedrawnLive, figureOf, moveSlider, recordRedraws, redrawsOf, waitForSliderAt } from './browser/widgets.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** The notebook panel on show (other open notebooks are hidden tabs). */
const PANEL = '.jp-NotebookPanel:not(.lm-mod-hidden)';

/** The window of the app page: the started JupyterLab (src/index.js exposes it). */
interface LabWindow {
  jupyterapp: {
    restored: Promise<void>;
    isPluginActivated(id: string): boolean;
    commands: { execute(id: string): Promise<unknown> };
    shell: { currentWidget: { sessionContext?: SessionContext } | null };
  };
  /** Set by {@link restartFromToolbar} when the notebook's session context reports 'restarting'. */
  sawRestarting?: boolean;
}

/** The part of JupyterLab's `ISessionContext` the test reads. */
interface SessionContext {
  isReady: boolean;
  isRestarting: boolean;
  session: { kernel: { status: string; connectionStatus: string } | null } | null;
  statusChanged: { connect(slot: (sender: unknown, status: string) => void): void };
}

/**
 * Waits until the notebook on show has a started, connected, idle kernel, read from its session
 * context (the toolbar's execution indicator shows 'idle' before a kernel exists and during the
 * first moments of a restart, so it cannot tell).
 */
async function kernelIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => {
    const ctx = (window as unknown as LabWindow).jupyterapp.shell.currentWidget?.sessionContext;
    const kernel = ctx?.session?.kernel;
    return !!ctx && ctx.isReady && !ctx.isRestarting && kernel?.connectionStatus === 'connected' && kernel.status === 'idle';
  }, undefined, { timeout });
}

/** Restarts the kernel of the notebook on show with the toolbar's button and its dialog; returns when the restarted kernel is idle. */
async function restartFromToolbar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as LabWindow;
    w.sawRestarting = false;
    w.jupyterapp.shell.currentWidget!.sessionContext!.statusChanged.connect((_, status) => {
      if (status === 'restarting') w.sawRestarting = true;
    });
  });
  await page.click(`${PANEL} .jp-NotebookPanel-toolbar [data-command="notebook:restart-kernel"]`);
  await page.click('.jp-Dialog .jp-mod-accept');
  await page.waitForFunction(() => (window as unknown as LabWindow).sawRestarting === true, undefined, { timeout: 10_000 });
  await kernelIdle(page);
}

let session: Session;

before(async () => {
  session = await openSession({ ui: 'jupyterlab4', notebook: 'live.ipynb', cells: [SAMPLE, SLIDER, RECEIVED, LONG] });
});

after(() => session?.close());

/** The i-th cell of the open notebook. */
function cell(page: Page, i: number) {
  return page.locator(`${PANEL} .jp-Notebook .jp-Cell`).nth(i);
}

/** Selects cell i and clicks the toolbar's Run button. */
async function startCell(page: Page, i: number): Promise<void> {
  await cell(page, i).locator('.jp-InputPrompt').click();
  await page.click(`${PANEL} .jp-NotebookPanel-toolbar [data-command="notebook:run-cell-and-select-next"]`);
}

/** Waits until cell i's prompt shows an execution count (`[n]:`). */
async function finished(page: Page, i: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    ({ k, panel }) => /\[\d+\]/.test(document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`)[k]?.querySelector('.jp-InputPrompt')?.textContent ?? ''),
    { k: i, panel: PANEL },
    { timeout },
  );
}

function outputText(page: Page, i: number): Promise<string> {
  return cell(page, i).locator('.jp-OutputArea').innerText();
}

/** A notebook file as the test reads it. */
interface SavedNotebook {
  cells: { outputs: { text?: string | string[]; data?: Record<string, unknown> }[] }[];
  metadata: { widgets?: Record<string, { state: Record<string, { model_name: string; buffers?: unknown[] }> }> };
}

/** Polls the .ipynb on disk (the server may be halfway through writing it) until `done` holds; fails after 30 s. */
async function savedNotebook(path: string, done: (nb: SavedNotebook) => boolean): Promise<SavedNotebook> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let nb: SavedNotebook | undefined;
    try {
      nb = JSON.parse(readFileSync(path, 'utf8')) as SavedNotebook;
    } catch {
      // being written
    }
    if (nb && done(nb)) return nb;
    if (Date.now() > deadline) throw new Error(`${path} was not saved with the outputs within 30 s`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

test('JupyterLab 4 loads the transportlab-widgets labextension, draws live widgets, moves the t-slider, interrupts and saves', { timeout: 170_000 }, async (t) => {
  const { server, browser, dir } = session;
  const page = await browser.newPage({ viewport: { width: 1400, height: 2000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const t0 = Date.now();
  await page.goto(`${server.baseUrl}lab/tree/live.ipynb?reset&token=${server.token}`);
  await page.waitForFunction(() => (window as unknown as Partial<LabWindow>).jupyterapp !== undefined, undefined, { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.restored);
  const restoredMs = Date.now() - t0;

  // The labextension: listed by jupyterlab_server, loaded by the host, its plugin active.
  const federated = await page.evaluate(() => JSON.parse(document.getElementById('jupyter-config-data')!.textContent!).federated_extensions as { name: string; load: string; extension?: string }[]);
  assert.ok(federated.some((e) => e.name === 'transportlab-widgets' && e.extension === './extension' && /^static\/remoteEntry\./.test(e.load)), JSON.stringify(federated));
  assert.equal(await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.isPluginActivated('@jupyter-widgets/jupyterlab-manager:plugin')), true);
  assert.equal(await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.isPluginActivated('transportlab-widgets:plugin')), true);

  // The notebook is open on an idle transportlab kernel.
  await kernelIdle(page);
  await page.waitForFunction((panel) => document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`).length === 4, PANEL, { timeout: 30_000 });

  // Record every redraw of the widget plots with whether cell 0 was still running (`[*]`).
  await recordRedraws(page, { selector: `${PANEL} .jp-Notebook .jp-Cell .jp-InputPrompt`, contains: '*' });

  const runAt = Date.now();
  await startCell(page, 0);
  const marginals = cell(page, 0).locator('.jp-OutputArea-output .tl-widget[data-view="MarginalsView"]');
  await marginals.locator('.tl-plot .main-svg').first().waitFor({ timeout: 60_000 });
  const firstDrawMs = Date.now() - runAt;
  await finished(page, 0);
  assert.match(await outputText(page, 0), /acceptance 0\.\d+ redraws \d+ \d+/);
  // Live widget views, not the static text/html figure the kernel sends along for viewers without widgets.
  assert.equal(await cell(page, 0).locator('.jp-OutputArea-output[data-mime-type="text/html"]').count(), 0, 'no static HTML fallback rendered');
  assert.equal(await cell(page, 0).locator('.jp-OutputArea-output .tl-widget[data-view="EssView"] .tl-plot .main-svg').count() > 0, true);
  t.diagnostic(assertRedrawnLive(await redrawsOf(page), ['MarginalsView', 'EssView']));

  // The t-slider: the kernel receives t and answers with the marginals at t.
  await startCell(page, 1);
  await finished(page, 1);
  const slider = cell(page, 1).locator('.tl-widget[data-view="TimeSliderView"]');
  await slider.locator('.tl-plot .main-svg').first().waitFor();
  const atStart = await figureOf(slider);
  assert.match(atStart.title, /t = 0\.000/);
  await moveSlider(slider, 0.7);
  await waitForSliderAt(page, 0.7);
  assert.notEqual((await figureOf(slider)).y, atStart.y, 'the figure changed');
  await startCell(page, 2);
  await finished(page, 2);
  assert.match(await outputText(page, 2), /\[0\.7\]/, 'the kernel received t = 0.7');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-jupyterlab4.png') });

  // Interrupt a running cell with the toolbar's stop button.
  await startCell(page, 3);
  await page.waitForFunction((panel) => (document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`)[3]?.querySelector('.jp-InputPrompt')?.textContent ?? '').includes('*'), PANEL);
  await page.waitForTimeout(500);
  await page.click(`${PANEL} .jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]`);
  await finished(page, 3, 30_000);
  assert.match(await outputText(page, 3), /Interrupt/i);
  await kernelIdle(page, 30_000);

  // Ctrl+S writes the outputs to the .ipynb on disk.
  await cell(page, 0).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Control+s');
  const saved = await savedNotebook(join(dir, 'live.ipynb'), (nb) => nb.cells[2].outputs.length > 0);
  const text = (i: number) => saved.cells[i].outputs.map((o) => [o.text ?? ''].flat().join('')).join('');
  assert.match(text(0), /acceptance/);
  assert.ok(saved.cells[0].outputs.some((o) => o.data?.['application/vnd.jupyter.widget-view+json']), 'widget outputs saved');
  assert.match(text(2), /\[0\.7\]/);
  // Widget state (with the figures' binary buffers) saved too: overrides.json turns jupyterlab-manager's saveState on.
  const state = saved.metadata.widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {};
  assert.deepEqual(Object.values(state).map((m) => m.model_name).sort(), ['EssModel', 'MarginalsModel', 'TimeSliderModel']);
  assert.ok(Object.values(state).every((m) => (m.buffers?.length ?? 0) > 0), 'figures saved with binary buffers');

  assert.deepEqual(errors, [], 'no uncaught page errors');
  t.diagnostic(`lab.restored ${restoredMs} ms after navigation; first widget draw ${firstDrawMs} ms after Run`);
});

test('JupyterLab 4 lists the folder, opens a notebook from the file browser and restarts its kernel', { timeout: 120_000 }, async () => {
  const { server, browser, dir } = session;
  writeNotebook(dir, 'restart.ipynb', ['const answer = 6 * 7; answer', 'answer + 1']);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.baseUrl}lab?reset&token=${server.token}`);
  await page.waitForFunction(() => (window as unknown as Partial<LabWindow>).jupyterapp !== undefined, undefined, { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.restored);

  // The file browser lists the notebook directory; a double click opens a notebook.
  const item = (name: string) => page.locator('.jp-DirListing-item', { hasText: name });
  await item('restart.ipynb').waitFor({ timeout: 30_000 });
  assert.equal(await item('live.ipynb').count(), 1);
  await item('restart.ipynb').dblclick();
  await kernelIdle(page);
  await page.waitForFunction((panel) => document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`).length === 2, PANEL, { timeout: 30_000 });

  await startCell(page, 0);
  await finished(page, 0, 30_000);
  assert.match(await outputText(page, 0), /(^|\n)42\s*$/);

  // Restart from the toolbar, confirm the dialog: the kernel's state is gone.
  await restartFromToolbar(page);
  await startCell(page, 1);
  await finished(page, 1, 30_000);
  assert.match(await outputText(page, 1), /Cannot find name 'answer'/, 'a fresh kernel after the restart');
  assert.deepEqual(errors, [], 'no uncaught page errors');
});

test('JupyterLab 4 renders markdown with LaTeX, and draws the widgets of a trusted saved notebook from its saved state before any cell runs', { timeout: 120_000 }, async () => {
  const { server, browser, dir } = session;
  // As after a new start: no kernel keeps the widget models of the earlier tests alive.
  const auth = { headers: { Authorization: `token ${server.token}` } };
  for (const { id } of (await (await fetch(`${server.baseUrl}api/sessions`, auth)).json()) as { id: string }[]) {
    await fetch(`${server.baseUrl}api/sessions/${id}`, { ...auth, method: 'DELETE' });
  }
  // The notebook the first test saved, under a new name, with a markdown cell in front.
  const nb = JSON.parse(readFileSync(join(dir, 'live.ipynb'), 'utf8')) as { cells: unknown[] };
  nb.cells.unshift({ cell_type: 'markdown', id: 'md', metadata: {}, source: '# Saved run\n\nThe draws of $\\pi(x) \\propto e^{-U(x)}$.' });
  writeFileSync(join(dir, 'saved.ipynb'), JSON.stringify(nb));
  const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A workspace of its own: the default one would also reopen the earlier tests' notebooks.
  await page.goto(`${server.baseUrl}lab/workspaces/saved-state/tree/saved.ipynb?token=${server.token}`);
  await page.waitForFunction(() => (window as unknown as Partial<LabWindow>).jupyterapp !== undefined, undefined, { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.restored);
  await page.locator(`${PANEL} .jp-RenderedMarkdown h1`).waitFor({ timeout: 30_000 });
  assert.match(await page.locator(`${PANEL} .jp-RenderedMarkdown h1`).innerText(), /Saved run/);
  await page.locator(`${PANEL} .jp-RenderedMarkdown mjx-container`).first().waitFor({ timeout: 30_000 });

  // An untrusted notebook shows no widgets (JupyterLab renders only safe outputs); trusted, the
  // widget manager restores the models from the notebook's widget state and draws them.
  assert.equal(await page.locator(`${PANEL} .tl-widget`).count(), 0, 'untrusted: no widget views');
  // Trusting saves the notebook, and jupyterlab-manager then writes the widget state it holds: trust
  // only once the manager has restored the saved models, which it does as soon as the kernel
  // session is ready (two comm_info round trips, milliseconds): wait for the idle kernel, then 1 s.
  await kernelIdle(page);
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    void (window as unknown as LabWindow).jupyterapp.commands.execute('notebook:trust');
  });
  await page.click('.jp-Dialog .jp-mod-accept');
  await page.locator(`${PANEL} .jp-Cell .tl-widget[data-view="MarginalsView"] .tl-plot .main-svg`).first().waitFor({ timeout: 60_000 });
  await page.locator(`${PANEL} .jp-Cell .tl-widget[data-view="TimeSliderView"] .tl-plot .main-svg`).first().waitFor({ timeout: 30_000 });
  const prompts = await page.locator(`${PANEL} .jp-Cell .jp-InputPrompt`).allInnerTexts();
  assert.ok(prompts.every((p) => !p.includes('*')), `no cell ran: ${JSON.stringify(prompts)}`);
  assert.deepEqual(errors, [], 'no uncaught page errors');
});
