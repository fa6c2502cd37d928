/**
 * Installing the `transportlab` kernelspec where Jupyter looks for kernels:
 * `<dir>/transportlab/{kernel.json, logo-32x32.png, logo-64x64.png}` under
 * - `--user`: `$(jupyter --data-dir)/kernels` (default `~/.local/share/jupyter/kernels`),
 * - `--sys-prefix`: `<env>/share/jupyter/kernels` of the active Python environment: `$CONDA_PREFIX`,
 *   else `$VIRTUAL_ENV`, else `sys.prefix` of `/usr/bin/python3` (Debian's Jupyter), as
 *   `ipykernel install --sys-prefix` means the environment Jupyter runs in,
 * - `--prefix P`: `P/share/jupyter/kernels`.
 *
 * The prebuilt JupyterLab (3.6 and 4) extension of the widget views (`widgets/lab/labextension`, built by
 * `npm run build:labextension`) goes beside the kernels directory, into
 * `<data dir>/labextensions/transportlab-widgets/`, where JupyterLab finds prebuilt extensions.
 * The AMD bundle of the views (`widgets/dist/amd/index.js`, built by `node frontend/build.mjs`)
 * goes to `<data dir>/nbextensions/transportlab-widgets/index.js` with an `extension.js` naming it
 * for RequireJS, where VS Code's Jupyter extension looks for the scripts of third-party widgets
 * (see widgets/README.md).
 *
 * The kernel is started as `node <package>/dist/cli/main.js kernel --connection-file F`;
 * Jupyter interrupts it with SIGINT, which stops synchronous code too (an interrupt_request on the
 * control channel can only be read once the cell yields to the event loop).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ArgumentError } from '../core/errors.js';
import { WIDGET_MODULE } from '../widgets/protocol.js';
import { PACKAGE_ROOT } from './paths.js';
import { drawLogo } from './png.js';

/** The kernel name. */
export const KERNEL_NAME = 'transportlab';

/** Where to install: one of the three scopes (user is the default). */
export interface InstallScope {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
}

const PYTHON = '/usr/bin/python3';
const JUPYTER = '/usr/bin/jupyter';

/** The prefix of the active Python environment: `$CONDA_PREFIX`, `$VIRTUAL_ENV`, or `/usr/bin/python3`'s `sys.prefix`. */
export function activePrefix(): string {
  const env = process.env.CONDA_PREFIX || process.env.VIRTUAL_ENV;
  if (env) return env;
  return execFileSync(PYTHON, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
}

/** The `kernels` directory of a scope. */
export function kernelsDir(scope: InstallScope): string {
  const chosen = [scope.user, scope.sysPrefix, scope.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new ArgumentError('scope', 'at most one of --user, --sys-prefix, --prefix', scope);
  if (scope.prefix !== undefined) {
    if (typeof scope.prefix !== 'string' || scope.prefix === '') throw new ArgumentError('--prefix', 'a directory', scope.prefix);
    return join(scope.prefix, 'share', 'jupyter', 'kernels');
  }
  if (scope.sysPrefix) return join(activePrefix(), 'share', 'jupyter', 'kernels');
  const dataDir = process.env.JUPYTER_DATA_DIR || (existsSync(JUPYTER) ? execFileSync(JUPYTER, ['--data-dir'], { encoding: 'utf8' }).trim() : join(homedir(), '.local', 'share', 'jupyter'));
  return join(dataDir, 'kernels');
}

/** The kernel.json of this package's kernel. */
export function kernelJson(): Record<string, unknown> {
  return {
    argv: [process.execPath, join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'), 'kernel', '--connection-file', '{connection_file}'],
    display_name: 'TypeScript (transportlab)',
    language: 'typescript',
    interrupt_mode: 'signal', // SIGINT also breaks synchronous loops; interrupt_request messages work too
    metadata: { transportlab: { packageRoot: PACKAGE_ROOT } },
  };
}

/** Writes the kernelspec into the scope's kernels directory; returns the kernelspec directory. */
export function installKernelspec(scope: InstallScope = {}): string {
  const dir = join(kernelsDir(scope), KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(kernelJson(), null, 2)}\n`);
  writeFileSync(join(dir, 'logo-32x32.png'), drawLogo(32));
  writeFileSync(join(dir, 'logo-64x64.png'), drawLogo(64));
  return dir;
}

/** Removes `dir` with its content; returns it, or `undefined` if it was not there. */
function removeDir(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Removes the kernelspec from the scope's kernels directory; returns it, or `undefined` if none was there. */
export function uninstallKernelspec(scope: InstallScope = {}): string | undefined {
  return removeDir(join(kernelsDir(scope), KERNEL_NAME));
}

/** The built JupyterLab extension of the widget views in this package. */
export const LABEXTENSION_SOURCE = join(PACKAGE_ROOT, 'widgets', 'lab', 'labextension');

/** The `labextensions` directory of a scope (the sibling of its `kernels` directory). */
export function labextensionsDir(scope: InstallScope): string {
  return join(dirname(kernelsDir(scope)), 'labextensions');
}

/**
 * Copies the built labextension `source` to `<labextensions>/transportlab-widgets` of the scope,
 * replacing an older copy; returns that directory, or `undefined` when `source` holds no build
 * (no `package.json`). Throws an `ArgumentError` when the build is not the `transportlab-widgets`
 * module or lacks its `jupyterlab._build.load` entry.
 */
export function installLabextension(scope: InstallScope = {}, source: string = LABEXTENSION_SOURCE): string | undefined {
  const meta = join(source, 'package.json');
  if (!existsSync(meta)) return undefined;
  const data = JSON.parse(readFileSync(meta, 'utf8')) as { name?: unknown; jupyterlab?: { _build?: { load?: unknown } } };
  if (data.name !== WIDGET_MODULE) throw new ArgumentError('source', `a labextension named ${WIDGET_MODULE}`, data.name);
  const load = data.jupyterlab?._build?.load;
  if (typeof load !== 'string' || !existsSync(join(source, load))) throw new ArgumentError('source', 'a built labextension (jupyterlab._build.load naming its remoteEntry file)', load);
  const dir = join(labextensionsDir(scope), WIDGET_MODULE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** Removes `<labextensions>/transportlab-widgets` of the scope; returns it, or `undefined` if none was there. */
export function uninstallLabextension(scope: InstallScope = {}): string | undefined {
  return removeDir(join(labextensionsDir(scope), WIDGET_MODULE));
}

/** The AMD bundle of the widget views in this package. */
export const NBEXTENSION_SOURCE = join(PACKAGE_ROOT, 'widgets', 'dist', 'amd', 'index.js');

/** How the AMD bundle begins: one anonymous module on top of `@jupyter-widgets/base` (frontend/build.mjs). */
const AMD_HEADER = "define(['@jupyter-widgets/base'],";

/** The `nbextensions` directory of a scope (the sibling of its `kernels` directory). */
export function nbextensionsDir(scope: InstallScope): string {
  return join(dirname(kernelsDir(scope)), 'nbextensions');
}

/**
 * The `extension.js` beside the installed AMD bundle: a notebook extension whose
 * `require.config` maps the module name to `nbextensions/transportlab-widgets/index`. VS Code's
 * Jupyter extension does not run it: it reads every `nbextensions/<dir>/extension.js` as text and
 * takes the module → path pairs from the innermost object of its `require.config({...})` call
 * (microsoft/vscode-jupyter `extractRequireConfigFromWidgetEntry`), so the config is written in
 * exactly that shape, without comments or nested calls.
 */
export function nbextensionEntry(): string {
  return [
    `// ${WIDGET_MODULE}: the RequireJS name of the widget views (the AMD module index.js beside this file).`,
    'define(function () {',
    "  'use strict';",
    "  window['requirejs'].config({",
    '    map: {',
    "      '*': {",
    `        '${WIDGET_MODULE}': 'nbextensions/${WIDGET_MODULE}/index',`,
    '      },',
    '    },',
    '  });',
    '  return { load_ipython_extension: function () {} };',
    '});',
    '',
  ].join('\n');
}

/**
 * Copies the AMD bundle `source` to `<nbextensions>/transportlab-widgets/index.js` of the scope,
 * with its {@link nbextensionEntry} as `extension.js`, replacing an older copy; returns that
 * directory, or `undefined` when `source` does not exist (not built). Throws an `ArgumentError`
 * when `source` is not the AMD bundle of the views.
 */
export function installNbextension(scope: InstallScope = {}, source: string = NBEXTENSION_SOURCE): string | undefined {
  if (!existsSync(source)) return undefined;
  if (!readFileSync(source, 'utf8').startsWith(AMD_HEADER)) throw new ArgumentError('source', `the AMD bundle of the widget views (beginning ${AMD_HEADER})`, source);
  const dir = join(nbextensionsDir(scope), WIDGET_MODULE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(source, join(dir, 'index.js'));
  writeFileSync(join(dir, 'extension.js'), nbextensionEntry());
  return dir;
}

/** Removes `<nbextensions>/transportlab-widgets` of the scope; returns it, or `undefined` if none was there. */
export function uninstallNbextension(scope: InstallScope = {}): string | undefined {
  return removeDir(join(nbextensionsDir(scope), WIDGET_MODULE));
}
