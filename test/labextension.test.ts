/**
 * The prebuilt JupyterLab 4 extension (widgets/lab/labextension, `node widgets/lab/build.mjs`):
 * its package.json metadata, its module-federation container evaluated in a `node:vm` context
 * with a fake browser (the host's share scope providing `@jupyter-widgets/base` and plotly; chunk
 * scripts read from disk), the plugin registering `transportlab-widgets` with a widget registry,
 * the lazily loaded views extending the host's base classes, and `transportlab install/uninstall
 * --prefix` putting and removing `share/jupyter/labextensions/transportlab-widgets`.
 * No JupyterLab here: loading it in a real JupyterLab is not tested (widgets/README.md).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { ArgumentError } from '../src/core/errors.js';
import { installLabextension, LABEXTENSION_SOURCE, uninstallLabextension } from '../src/kernel/kernelspec.js';
import { WIDGET_MODULE, WIDGET_MODULE_VERSION } from '../src/widgets/protocol.js';

const ROOT = join(import.meta.dirname, '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface LabMeta {
  name: string;
  version: string;
  jupyterlab: { extension: string; sharedPackages: Record<string, { bundled?: boolean; singleton?: boolean }>; _build: { load: string; extension: string } };
}
const meta = (): LabMeta => JSON.parse(readFileSync(join(LABEXTENSION_SOURCE, 'package.json'), 'utf8')) as LabMeta;

before(() => {
  // `npm run build:frontend` builds it; build it here when that has not run (about a minute).
  if (!existsSync(join(LABEXTENSION_SOURCE, 'package.json'))) execFileSync(process.execPath, [join(ROOT, 'widgets', 'lab', 'build.mjs')], { stdio: 'inherit' });
});

test('package.json: name and version of the kernel-side module, the remoteEntry to load, base shared as a host singleton', () => {
  const m = meta();
  assert.equal(m.name, WIDGET_MODULE);
  assert.equal(m.version, VERSION);
  assert.equal(WIDGET_MODULE_VERSION, `^${m.version}`, 'the kernel asks for this version range');
  assert.match(m.jupyterlab._build.load, /^static\/remoteEntry\.[0-9a-f]{20}\.js$/);
  assert.ok(existsSync(join(LABEXTENSION_SOURCE, m.jupyterlab._build.load)), 'the remoteEntry named by _build.load exists');
  assert.equal(m.jupyterlab._build.extension, './extension');
  assert.deepEqual(m.jupyterlab.sharedPackages['@jupyter-widgets/base'], { bundled: false, singleton: true });
  const entries = readdirSync(join(LABEXTENSION_SOURCE, 'static')).filter((f) => f.startsWith('remoteEntry.'));
  assert.deepEqual(entries, [m.jupyterlab._build.load.slice('static/'.length)], 'exactly one remoteEntry (stale ones removed)');
});

/** Evaluates the remoteEntry in a fresh vm context whose document loads chunk scripts from static/. */
function loadContainer(): { container: { init(scope: unknown): Promise<void>; get(name: string): Promise<() => unknown> }; loaded: string[] } {
  const staticDir = join(LABEXTENSION_SOURCE, 'static');
  const load = meta().jupyterlab._build.load;
  const loaded: string[] = [];
  interface Script { src: string; onload?: (e: unknown) => void; onerror?: (e: unknown) => void }
  const document = {
    currentScript: { tagName: 'SCRIPT', src: `http://127.0.0.1:8888/lab/extensions/${WIDGET_MODULE}/${load}` },
    getElementsByTagName: () => [],
    createElement: (): Script & { setAttribute(): void; getAttribute(): null } => ({ src: '', setAttribute() {}, getAttribute: () => null }),
    head: {
      appendChild(script: Script) {
        const file = new URL(script.src).pathname.split('/').pop() as string;
        loaded.push(file);
        setImmediate(() => {
          vm.runInContext(readFileSync(join(staticDir, file), 'utf8'), ctx, { filename: file });
          script.onload?.({ type: 'load', target: script });
        });
      },
    },
  };
  const ctx = vm.createContext({ document, setTimeout, clearTimeout, console });
  vm.runInContext('self = window = globalThis;', ctx);
  vm.runInContext(readFileSync(join(LABEXTENSION_SOURCE, load), 'utf8'), ctx, { filename: load });
  const containers = (ctx as { _JUPYTERLAB?: Record<string, never> })._JUPYTERLAB;
  assert.ok(containers && WIDGET_MODULE in containers, 'the remoteEntry defines _JUPYTERLAB["transportlab-widgets"]');
  return { container: containers[WIDGET_MODULE], loaded };
}

test('remoteEntry: a federated container whose plugin registers the views, base and plotly taken from the host', async () => {
  const { container, loaded } = loadContainer();
  assert.equal(typeof container.init, 'function');
  assert.equal(typeof container.get, 'function');

  class DOMWidgetModel {
    static serializers = {};
    defaults(): Record<string, unknown> {
      return { _host_base: true };
    }
  }
  class DOMWidgetView {}
  const IJupyterWidgetRegistry = { name: '@jupyter-widgets/base:IJupyterWidgetRegistry' };
  const base = { IJupyterWidgetRegistry, DOMWidgetModel, DOMWidgetView };
  const plotly = { newPlot() {}, react() {}, purge() {} };
  const provided = (module: unknown) => ({ get: () => Promise.resolve(() => module), from: 'host', eager: false, loaded: 1 });
  const scope: Record<string, Record<string, unknown>> = {
    '@jupyter-widgets/base': { '6.9.0': provided(base) },
    'plotly.js-dist-min': { '4.1.2': provided(plotly) },
  };
  await container.init(scope);
  assert.deepEqual(Object.keys(scope['@jupyter-widgets/base']), ['6.9.0'], 'base is not bundled: the container offers no copy of its own');
  assert.ok(scope[WIDGET_MODULE], 'the container shares itself');

  const factory = await container.get('./extension');
  const plugin = (factory() as { default: { id: string; autoStart: boolean; requires: unknown[]; activate(app: unknown, registry: unknown): void } }).default;
  assert.equal(plugin.id, `${WIDGET_MODULE}:plugin`);
  assert.equal(plugin.autoStart, true);
  assert.equal(plugin.requires.length, 1);
  assert.equal(plugin.requires[0], IJupyterWidgetRegistry, 'the token object of the host singleton');

  const registered: { name: string; version: string; exports: () => Promise<Record<string, new () => object>> }[] = [];
  plugin.activate({}, { registerWidget: (d: (typeof registered)[number]) => registered.push(d) });
  assert.equal(registered.length, 1);
  assert.equal(registered[0].name, WIDGET_MODULE);
  assert.equal(registered[0].version, VERSION);
  const before = loaded.length;
  const views = await registered[0].exports();
  assert.ok(loaded.length > before, 'the views are a chunk loaded on first use');
  const names = ['Ess', 'Figure', 'Loss', 'Marginals', 'TimeSlider'];
  assert.deepEqual(Object.keys(views).sort(), names.flatMap((n) => [`${n}Model`, `${n}View`]).sort());
  for (const n of names) {
    const model = new views[`${n}Model`]() as DOMWidgetModel;
    assert.ok(model instanceof DOMWidgetModel, `${n}Model extends the host's DOMWidgetModel`);
    assert.ok(new views[`${n}View`]() instanceof DOMWidgetView, `${n}View extends the host's DOMWidgetView`);
    const d = model.defaults();
    assert.equal(d._host_base, true);
    assert.deepEqual([d._model_module, d._model_module_version, d._model_name, d._view_name], [WIDGET_MODULE, VERSION, `${n}Model`, `${n}View`]);
  }
  // plotly is shared too, with its bundled copy as a fallback chunk that the container offers
  const remoteEntry = readFileSync(join(LABEXTENSION_SOURCE, meta().jupyterlab._build.load), 'utf8');
  const offered = remoteEntry.match(/"plotly\.js-dist-min","([\d.]+)",\(\)=>\w+\.e\((\d+)\)/);
  assert.ok(offered, 'the container offers its plotly to the share scope');
  const lock = JSON.parse(readFileSync(join(ROOT, 'widgets', 'lab', 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  assert.equal(offered[1], lock.packages['node_modules/plotly.js-dist-min'].version);
  const plotlyChunk = readdirSync(join(LABEXTENSION_SOURCE, 'static')).filter((f) => f.startsWith(`${offered[2]}.`) && f.endsWith('.js'));
  assert.equal(plotlyChunk.length, 1);
  assert.match(readFileSync(join(LABEXTENSION_SOURCE, 'static', plotlyChunk[0]), 'utf8'), /plotly\.com/);
  assert.ok(!loaded.includes(plotlyChunk[0]), 'the host-provided plotly is used instead of loading the fallback');
});

test('install/uninstall --prefix put and remove share/jupyter/labextensions/transportlab-widgets', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'tl-labext-'));
  try {
    const dir = join(prefix, 'share', 'jupyter', 'labextensions', WIDGET_MODULE);
    const run = (cmd: string) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), cmd, '--prefix', prefix], { encoding: 'utf8', cwd: ROOT });
    const inst = run('install');
    assert.equal(inst.status, 0, inst.stderr);
    assert.match(inst.stdout, new RegExp(`installed JupyterLab extension in ${dir}`));
    assert.ok(existsSync(join(prefix, 'share', 'jupyter', 'kernels', 'transportlab', 'kernel.json')));
    const m = meta();
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), m);
    assert.deepEqual(readFileSync(join(dir, m.jupyterlab._build.load)), readFileSync(join(LABEXTENSION_SOURCE, m.jupyterlab._build.load)));
    assert.deepEqual(readdirSync(join(dir, 'static')).sort(), readdirSync(join(LABEXTENSION_SOURCE, 'static')).sort());

    writeFileSync(join(dir, 'static', 'stale.js'), '');
    assert.equal(installLabextension({ prefix }), dir, 'reinstalling replaces the old copy');
    assert.ok(!existsSync(join(dir, 'static', 'stale.js')));

    const un = run('uninstall');
    assert.equal(un.status, 0, un.stderr);
    assert.match(un.stdout, new RegExp(`removed ${dir}`));
    assert.ok(!existsSync(dir));
    assert.ok(!existsSync(join(prefix, 'share', 'jupyter', 'kernels', 'transportlab')));
    assert.equal(uninstallLabextension({ prefix }), undefined, 'nothing left to remove');
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('installLabextension: no build → undefined; a build of another module or without its remoteEntry → ArgumentError', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'tl-labext-'));
  try {
    const source = join(prefix, 'src');
    mkdirSync(source);
    assert.equal(installLabextension({ prefix }, source), undefined);
    writeFileSync(join(source, 'package.json'), JSON.stringify({ name: 'other-widgets', jupyterlab: { _build: { load: 'static/remoteEntry.js' } } }));
    assert.throws(() => installLabextension({ prefix }, source), (e: unknown) => e instanceof ArgumentError && /transportlab-widgets/.test(e.message));
    writeFileSync(join(source, 'package.json'), JSON.stringify({ name: WIDGET_MODULE, jupyterlab: { _build: { load: 'static/remoteEntry.js' } } }));
    assert.throws(() => installLabextension({ prefix }, source), (e: unknown) => e instanceof ArgumentError && /remoteEntry/.test(e.message));
    assert.ok(!existsSync(join(prefix, 'share')), 'nothing installed from a bad build');
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
