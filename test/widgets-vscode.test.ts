/**
 * The widget scripts for RequireJS widget managers (VS Code's Jupyter extension), as
 * `transportlab install --prefix P` puts them into `P/share/jupyter/nbextensions/transportlab-widgets/`:
 * - `index.js` is the AMD bundle, `extension.js` maps the module name for RequireJS in the shape
 *   VS Code extracts (microsoft/vscode-jupyter `extractRequireConfigFromWidgetEntry`: the pairs of
 *   the innermost object of the `require.config({...})` call); uninstall removes both;
 * - loaded the way VS Code's webview loads a local widget script: in chromium, RequireJS 2.3 (npm
 *   `requirejs`), `@jupyter-widgets/base` defined as a named module by html-manager's
 *   `embed-amd.js`, `requirejs.config({ paths: { 'transportlab-widgets': <base>/<mapped path> } })`
 *   with the installed file served over HTTP; html-manager's real HTMLManager (its RequireJS loader)
 *   creates the models from a saved widget state made of a kernel's real widgets, and the views draw
 *   plotly graphs with the kernel's numbers and put their CSS into the document once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../src/core/errors.js';
import * as random from '../src/core/random.js';
import { ensureBundle } from '../src/cli/frontend.js';
import { setPublisher } from '../src/kernel/context.js';
import { installNbextension, NBEXTENSION_SOURCE, uninstallNbextension } from '../src/kernel/kernelspec.js';
import { marginals, timeSlider, WIDGET_MODULE, type Samples } from '../src/widgets/index.js';
import { launch } from './browser/page.js';
import { capture, fromFrontend, type Sent } from './widgets-comm.js';

const ROOT = join(import.meta.dirname, '..');
const FRONTEND_MODULES = join(ROOT, 'frontend', 'node_modules');
const prefix = mkdtempSync(join(tmpdir(), 'tl-nbext-'));
after(() => rmSync(prefix, { recursive: true, force: true }));
const dataDir = join(prefix, 'share', 'jupyter');
const installed = join(dataDir, 'nbextensions', WIDGET_MODULE);

const cli = (cmd: string) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), cmd, '--prefix', prefix], { encoding: 'utf8', cwd: ROOT });

/**
 * The module → path pairs VS Code takes from an `extension.js`: the text from the first `{` after
 * a `require(js).config(` call to the next `)`, its innermost `{...}`, split at commas into quoted
 * `key: value` pairs.
 */
function requireMappings(source: string): Record<string, string> {
  const call = source.search(/(\.|\[["']require(js)?["']\])config\(\{/);
  assert.ok(call >= 0, 'a require.config call');
  const config = source.slice(source.indexOf('{', call), source.indexOf(')', call));
  const inner = config.split('{').at(-1)!.split('}')[0];
  const unquote = (s: string) => s.trim().replace(/^['"]|['"]$/g, '');
  return Object.fromEntries(inner.split(',').filter((e) => e.includes(':')).map((e) => [unquote(e.slice(0, e.indexOf(':'))), unquote(e.slice(e.indexOf(':') + 1))]));
}

test('install --prefix puts the AMD bundle and its RequireJS entry into nbextensions/transportlab-widgets; uninstall removes them', () => {
  ensureBundle();
  const inst = cli('install');
  assert.equal(inst.status, 0, inst.stderr);
  assert.match(inst.stdout, new RegExp(`installed widget scripts for RequireJS \\(VS Code\\) in ${installed}`));
  assert.deepEqual(readFileSync(join(installed, 'index.js')), readFileSync(NBEXTENSION_SOURCE));
  assert.deepEqual(requireMappings(readFileSync(join(installed, 'extension.js'), 'utf8')), { [WIDGET_MODULE]: `nbextensions/${WIDGET_MODULE}/index` });
  const un = cli('uninstall');
  assert.equal(un.status, 0, un.stderr);
  assert.match(un.stdout, new RegExp(`removed ${installed}`));
  assert.ok(!existsSync(installed));
  assert.equal(uninstallNbextension({ prefix }), undefined, 'nothing left to remove');
  assert.equal(installNbextension({ prefix }, join(prefix, 'missing.js')), undefined, 'no bundle built: skipped');
  const notAmd = join(prefix, 'esm.js');
  writeFileSync(notAmd, 'export const x = 1;\n');
  assert.throws(() => installNbextension({ prefix }, notAmd), (e: unknown) => e instanceof ArgumentError && /AMD bundle/.test(e.message));
  assert.ok(!existsSync(installed), 'nothing installed from a bad source');
});

/** The saved widget state (widget-state+json, version 2) of real kernel widgets: what a front-end gets answering `request_state`. */
async function savedState(): Promise<{ state: object; ids: { marginals: string; slider: string }; bars: number[] }> {
  const sent: Sent[] = [];
  capture(sent);
  try {
    const s: Samples = { data: random.normal(random.key(3), 4000), n: 2000, d: 2 };
    const m = marginals(s, { dims: [0, 1], labels: ['a', 'b'], display: false });
    const shift = (t: number): Samples => ({ ...s, data: s.data.map((v, i) => (i % 2 === 0 ? v + 5 * t : v)) });
    const slider = await timeSlider({ at: shift, t: 0.5, dims: [0, 1], bins2d: 0, display: false });
    const state: Record<string, object> = {};
    for (const id of [m.model.modelId!, slider.model.modelId!]) {
      await fromFrontend(id, { method: 'request_state' });
      const reply = sent.filter((x) => x.msgType === 'comm_msg' && x.content.comm_id === id).at(-1)!;
      const { state: json, buffer_paths: paths } = reply.content.data as { state: Record<string, string>; buffer_paths: (string | number)[][] };
      state[id] = {
        model_name: json._model_name, model_module: json._model_module, model_module_version: json._model_module_version, state: json,
        buffers: paths.map((path, i) => ({ path, encoding: 'base64', data: reply.buffers[i].toString('base64') })),
      };
    }
    return { state: { version_major: 2, version_minor: 0, state }, ids: { marginals: m.model.modelId!, slider: slider.model.modelId! }, bars: Array.from(m.figure().data[0].y as Float32Array) };
  } finally {
    setPublisher(undefined);
  }
}

/** Serves `files` (URL path → file) and the page `html(base)` at `/` over HTTP on 127.0.0.1, recording the paths asked for. */
async function serve(files: Record<string, string>, html: (base: string) => string): Promise<{ server: Server; base: string; asked: string[] }> {
  const asked: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url!, base).pathname;
    asked.push(path);
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html(base));
    else if (files[path]) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(files[path]));
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, asked };
}

test('the installed index.js loads through RequireJS as VS Code registers it, and html-manager renders its views from a saved state', { timeout: 120_000 }, async () => {
  ensureBundle();
  assert.ok(installNbextension({ prefix }));
  const mapped = requireMappings(readFileSync(join(installed, 'extension.js'), 'utf8'))[WIDGET_MODULE];
  const { state, ids, bars } = await savedState();
  const view = (id: string) => `<script type="application/vnd.jupyter.widget-view+json">${JSON.stringify({ model_id: id, version_major: 2, version_minor: 0 })}</script>`;
  // VS Code copies the data dirs' nbextensions under <base>/jupyter/ and registers paths[module] = <base>/jupyter/<mapped path>.
  const html = (base: string) => `<!doctype html><html><head>
<script src="/require.js"></script>
<script>requirejs.config({ paths: { '${WIDGET_MODULE}': '${base}/jupyter/${mapped}' } });</script>
<script src="/embed-amd.js"></script>
<script type="application/vnd.jupyter.widget-state+json">${JSON.stringify(state)}</script>
</head><body>${view(ids.marginals)}${view(ids.slider)}</body></html>`;
  const srv = await serve({
    '/require.js': join(FRONTEND_MODULES, 'requirejs', 'require.js'),
    '/embed-amd.js': join(FRONTEND_MODULES, '@jupyter-widgets', 'html-manager', 'dist', 'embed-amd.js'),
    [`/jupyter/nbextensions/${WIDGET_MODULE}/index.js`]: join(installed, 'index.js'),
  }, html);
  const browser = await launch();
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${srv.base}/`);
    await tab.waitForFunction(`document.querySelectorAll('.tl-widget .tl-plot .main-svg').length >= 2`, undefined, { timeout: 60_000 });
    const result = (await tab.evaluate(`new Promise((ok) => requirejs(['${WIDGET_MODULE}', '@jupyter-widgets/base'], (tl, base) => {
      const plot = (name) => document.querySelector('.tl-widget[data-view="' + name + '"] .tl-plot');
      const m = plot('MarginalsView');
      const controls = document.querySelector('.tl-widget[data-view="TimeSliderView"] .tl-controls');
      ok({
        extendsBase: tl.MarginalsView.prototype instanceof base.DOMWidgetView,
        traces: m.data.map((t) => t.type),
        bars: Array.from(m.data[0].y),
        xTitle: m.layout.xaxis.title.text,
        sliderTitle: plot('TimeSliderView').layout.title.text,
        slider: document.querySelector('input.tl-t-slider').value,
        styles: document.querySelectorAll('style#transportlab-widgets-style').length,
        controlsDisplay: getComputedStyle(controls).display,
        sliderWidth: getComputedStyle(document.querySelector('input.tl-t-slider')).width,
      });
    }))`)) as { extendsBase: boolean; traces: string[]; bars: number[]; xTitle: string; sliderTitle: string; slider: string; styles: number; controlsDisplay: string; sliderWidth: string };
    assert.deepEqual(errors, []);
    assert.equal(srv.asked.filter((p) => p === `/jupyter/nbextensions/${WIDGET_MODULE}/index.js`).length, 1, 'the module was loaded once from the installed file');
    assert.equal(result.extendsBase, true, 'the views extend the named @jupyter-widgets/base module');
    assert.deepEqual(result.traces, ['bar', 'bar', 'heatmap']);
    assert.deepEqual(result.bars, bars, 'the kernel\'s Float32 histogram, through base64 buffers of the saved state');
    assert.equal(result.xTitle, 'a');
    assert.match(result.sliderTitle, /t = 0\.500/);
    assert.equal(result.slider, '0.5');
    assert.equal(result.styles, 1, 'two views, one <style>');
    assert.equal(result.controlsDisplay, 'flex');
    assert.equal(result.sliderWidth, '320px');
  } finally {
    await browser.close();
    srv.server.close();
  }
});
