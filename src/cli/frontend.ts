/**
 * `transportlab lab`: the bundled notebook front-end; `transportlab export`: self-contained HTML
 * of a notebook (see {@link exportHtml}).
 *
 * `lab`: installs the `transportlab` kernelspec (and the built widget labextension) into
 * `build/jupyter`, starts Debian's jupyter_server (`/usr/bin/python3`, token auth) on 127.0.0.1
 * serving one of the front-ends ({@link FrontendUi}), and prints the URL with the token. Stops the
 * server on Ctrl+C.
 * - `page`: the notebook page built by `frontend/build.mjs`, served by the `transportlab_frontend`
 *   server extension (frontend/server);
 * - `jupyterlab3` / `jupyterlab4`: JupyterLab assembled from npm packages (frontend/jupyterlab/v3,
 *   v4, built by their `build.mjs`), served by jupyterlab_server's `LabServerApp`
 *   (frontend/jupyterlab/server), loading the prebuilt labextensions on the Jupyter path.
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ArgumentError } from '../core/errors.js';
import { LABEXTENSION_SOURCE } from '../kernel/kernelspec.js';
import { PACKAGE_ROOT } from '../kernel/paths.js';
import { freePort, kernelspecJupyterPath, newToken, parsePort, PYTHON, stopOnSignals, withServerOptions, type ServerCommandOptions } from './server.js';

const FRONTEND = join(PACKAGE_ROOT, 'frontend');

/** The front-ends `transportlab lab` can serve. */
export const FRONTEND_UIS = ['page', 'jupyterlab3', 'jupyterlab4'] as const;

/** A front-end: the bundled notebook page, or JupyterLab 3 / 4 assembled from npm. */
export type FrontendUi = (typeof FRONTEND_UIS)[number];

/** Options of {@link startFrontend}. */
export interface FrontendOptions {
  /** Which front-end (default `page`). */
  ui?: FrontendUi;
  /** Notebook directory served (the server's root). */
  dir: string;
  /** Port (0 or busy: a free one). */
  port?: number;
  /** Token (default: a fresh random one). */
  token?: string;
  /** Receives the server's log lines (default: stderr). */
  log?: (chunk: string) => void;
  /** How long to wait for the server, in ms (default 60 s). */
  timeoutMs?: number;
}

/** A running front-end server. */
export interface RunningFrontend {
  /** The file list URL, token included. */
  url: string;
  /** `http://127.0.0.1:<port>/`. */
  baseUrl: string;
  token: string;
  port: number;
  process: ChildProcess;
  /** Stops the server (and its kernels); resolves when it exited. */
  stop(): Promise<void>;
}

/** The folder of a JupyterLab app (`frontend/jupyterlab/v3`, `.../v4`). */
export function jupyterlabApp(ui: Exclude<FrontendUi, 'page'>): string {
  return join(FRONTEND, 'jupyterlab', ui === 'jupyterlab3' ? 'v3' : 'v4');
}

/**
 * The environment of the Jupyter processes: the transportlab kernelspec and widget labextension
 * installed into `build/jupyter` and found through JUPYTER_PATH, the server extension on
 * PYTHONPATH, no user config.
 */
function jupyterEnv(ui: FrontendUi): NodeJS.ProcessEnv {
  const server = ui === 'page' ? join(FRONTEND, 'server') : join(FRONTEND, 'jupyterlab', 'server');
  return {
    ...process.env,
    JUPYTER_PATH: kernelspecJupyterPath(),
    PYTHONPATH: [server, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    JUPYTER_NO_CONFIG: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...(ui === 'page' ? {} : { TRANSPORTLAB_JUPYTERLAB_APP: jupyterlabApp(ui), TRANSPORTLAB_JUPYTERLAB_STATE: join(PACKAGE_ROOT, 'build', 'jupyterlab', ui) }),
  };
}

/**
 * The newest modification time (ms) of the files at `paths`, folders recursively; missing paths
 * count as never modified.
 */
function newest(paths: string[]): number {
  let t = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    t = statSync(p).isDirectory() ? Math.max(t, newest(readdirSync(p).map((name) => join(p, name)))) : Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** What {@link rebuildIfStale} builds. */
interface BuildStep {
  /** What it is, for messages. */
  label: string;
  /** The build script, run as `node <script>`. */
  script: string;
  /** The file whose age tells when the build last ran. */
  output: string;
  /** The sources: a build is stale when one of them is newer than `output`. */
  inputs: string[];
  /** The build's own dependencies: where they are missing, an existing `output` is used as is (an installed package ships builds without them). */
  deps?: string;
}

/** Runs `node <script>` when `output` is missing or older than its inputs; then touches `output` (esbuild and webpack leave unchanged outputs untouched). */
function rebuildIfStale(step: BuildStep): void {
  const built = existsSync(step.output) ? statSync(step.output).mtimeMs : -Infinity;
  if (built >= newest([step.script, ...step.inputs])) return;
  if (step.deps && !existsSync(step.deps) && built > -Infinity) return;
  const r = spawnSync(process.execPath, [step.script], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(step.output)) throw new Error(`building ${step.label} failed (node ${step.script})`);
  const now = new Date();
  utimesSync(step.output, now, now);
}

const WIDGET_SOURCES = join(PACKAGE_ROOT, 'widgets', 'src');

/** Builds the page bundle (`node frontend/build.mjs`, needs `frontend/node_modules`) when it is missing or older than its sources. */
export function ensureBundle(): void {
  if (!existsSync(join(FRONTEND, 'node_modules')) && !existsSync(join(FRONTEND, 'dist', 'app.js'))) {
    throw new Error('the front-end is not built: run `npm --prefix frontend ci --ignore-scripts && node frontend/build.mjs`');
  }
  rebuildIfStale({
    label: 'the front-end',
    script: join(FRONTEND, 'build.mjs'),
    output: join(FRONTEND, 'dist', 'app.js'),
    inputs: [join(FRONTEND, 'src'), WIDGET_SOURCES],
    deps: join(FRONTEND, 'node_modules'),
  });
}

/** Builds the widget labextension (`node widgets/lab/build.mjs`) when it is missing or older than its sources. */
export function ensureLabextension(): void {
  const lab = join(PACKAGE_ROOT, 'widgets', 'lab');
  rebuildIfStale({
    label: 'the widget labextension',
    script: join(lab, 'build.mjs'),
    output: join(LABEXTENSION_SOURCE, 'package.json'),
    inputs: [join(lab, 'src'), join(lab, 'package.json'), WIDGET_SOURCES],
  });
}

/** Builds a JupyterLab app (`node <app>/build.mjs`) when its `build/bundle.js` is missing or older than its sources. */
export function ensureJupyterlab(ui: Exclude<FrontendUi, 'page'>): void {
  const app = jupyterlabApp(ui);
  rebuildIfStale({
    label: ui,
    script: join(app, 'build.mjs'),
    output: join(app, 'build', 'bundle.js'),
    inputs: [...['package.json', 'package-lock.json', 'overrides.json', 'src'].map((f) => join(app, f)), join(FRONTEND, 'jupyterlab', 'federation.js')],
  });
}

async function waitUntilUp(baseUrl: string, token: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter_server exited with code ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`jupyter_server did not answer within ${timeoutMs} ms:\n${log()}`);
}

/** Starts the front-end server on `opts.dir` (see the module documentation); resolves once it answers. */
export async function startFrontend(opts: FrontendOptions): Promise<RunningFrontend> {
  const dir = resolve(opts.dir);
  if (!existsSync(dir)) throw new ArgumentError('--dir', 'an existing notebook directory', opts.dir);
  const port = await freePort(opts.port ?? 0);
  const token = opts.token ?? newToken();
  const ui = opts.ui ?? 'page';
  if (!FRONTEND_UIS.includes(ui)) throw new ArgumentError('ui', `one of ${FRONTEND_UIS.join(', ')}`, ui);
  if (ui === 'page') ensureBundle();
  else {
    ensureLabextension();
    ensureJupyterlab(ui);
  }
  const common = [
    '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', `--ServerApp.token=${token}`,
    '--ServerApp.open_browser=False', `--ServerApp.root_dir=${dir}`, '--MappingKernelManager.default_kernel_name=transportlab',
  ];
  const args =
    ui === 'page'
      ? ['-m', 'jupyter_server', ...common, '--ServerApp.jpserver_extensions', 'transportlab_frontend=True', '--ServerApp.default_url=/transportlab/tree/']
      : ['-m', 'transportlab_jupyterlab', ...common];
  if (process.getuid?.() === 0) args.push('--ServerApp.allow_root=True');
  const env = jupyterEnv(ui);
  const child = spawn(PYTHON, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const onData = (d: Buffer) => {
    const s = d.toString();
    lines.push(s);
    if (lines.length > 200) lines.shift();
    log(s);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.once('error', (e) => lines.push(`cannot start ${PYTHON} ${args[1]} (install python3-jupyter-server and python3-jupyterlab-server): ${e.message}`));
  const baseUrl = `http://127.0.0.1:${port}/`;
  await waitUntilUp(baseUrl, token, child, opts.timeoutMs ?? 60_000, () => lines.join(''));
  return {
    url: ui === 'page' ? `${baseUrl}transportlab/tree/?token=${token}` : `${baseUrl}lab?token=${token}`,
    baseUrl,
    token,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      // jupyter_server 1.23 can hang at exit joining idle worker threads when stopped during a
      // kernel start (its kernels are already shut down by then): kill it after 10 s.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** Options of {@link exportHtml}. */
export interface ExportOptions {
  /** Run the notebook first (nbconvert's ExecutePreprocessor on the transportlab kernel; widget state kept). */
  execute?: boolean;
  /** The HTML file to write (default: the notebook's name with `.html`). */
  output?: string;
  /** Cell timeout in seconds when executing (default 600). */
  timeout?: number;
}

/**
 * Exports a notebook to one self-contained HTML file: nbconvert's `lab` HTML (after executing the
 * notebook when asked), with the CDN widget loader disabled and the offline widget renderer
 * (frontend/dist/embed.{js,css}) inlined, so the widgets are drawn from the saved widget state
 * without a network; outputs without a widget show their static plotly/HTML bundle. Returns the
 * path written.
 */
export function exportHtml(notebook: string, opts: ExportOptions = {}): string {
  const input = resolve(notebook);
  if (!existsSync(input) || !input.endsWith('.ipynb')) throw new ArgumentError('notebook', 'an existing .ipynb file', notebook);
  const timeout = opts.timeout ?? 600;
  if (!(Number.isInteger(timeout) && timeout > 0)) throw new ArgumentError('--timeout', 'a positive number of seconds', opts.timeout);
  const output = resolve(opts.output ?? input.replace(/\.ipynb$/, '.html'));
  ensureBundle();
  const work = mkdtempSync(join(tmpdir(), 'transportlab-export-'));
  try {
    const empty = 'data:text/javascript,';
    const args = [
      '-m', 'nbconvert', '--to', 'html', ...(opts.execute ? ['--execute', `--ExecutePreprocessor.timeout=${timeout}`] : []),
      `--HTMLExporter.widget_renderer_url=${empty}`, `--HTMLExporter.require_js_url=${empty}`, '--output-dir', work, '--output', 'export', input,
    ];
    const r = spawnSync(PYTHON, args, { env: jupyterEnv('page'), cwd: dirname(input), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nbconvert failed (${PYTHON} -m nbconvert):\n${r.stderr ?? r.error?.message}`);
    const inline = (file: string) => readFileSync(join(FRONTEND, 'dist', file), 'utf8').replace(/<\/(script|style)/gi, '<\\/$1');
    const html = readFileSync(join(work, 'export.html'), 'utf8');
    const at = html.lastIndexOf('</body>');
    const embed = `<style>${inline('embed.css')}</style>\n<script>${inline('embed.js')}</script>\n`;
    writeFileSync(output, at < 0 ? html + embed : html.slice(0, at) + embed + html.slice(at));
    return output;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Registers `lab` (the bundled notebook front-end) and `export` (self-contained HTML) on the program. */
export function registerFrontend(program: Command): void {
  withServerOptions(program.command('lab').description('open a notebook front-end (jupyter_server + the transportlab kernel) on the notebooks folder'))
    .option('--ui <ui>', `the front-end: ${FRONTEND_UIS.join(', ')}`, 'page')
    .action(async (o: ServerCommandOptions & { ui: string }) => {
      if (!(FRONTEND_UIS as readonly string[]).includes(o.ui)) throw new ArgumentError('--ui', `one of ${FRONTEND_UIS.join(', ')}`, o.ui);
      const server = await startFrontend({ dir: o.dir, port: parsePort(o.port), ui: o.ui as FrontendUi });
      process.stdout.write(`\ntransportlab notebooks: ${server.url}\n\n`);
      stopOnSignals(() => void server.stop());
      await new Promise<void>((ok) => server.process.once('exit', () => ok()));
    });
  program
    .command('export')
    .description('export a notebook to self-contained HTML (plots and widgets drawn offline)')
    .argument('<notebook>', 'the .ipynb file')
    .option('--execute', 'run the notebook on the transportlab kernel first')
    .option('-o, --output <file>', 'the HTML file (default: next to the notebook)')
    .option('--timeout <seconds>', 'cell timeout when executing', '600')
    .action((notebook: string, o: { execute?: boolean; output?: string; timeout: string }) => {
      process.stdout.write(`${exportHtml(notebook, { execute: o.execute, output: o.output, timeout: Number(o.timeout) })}\n`);
    });
}
