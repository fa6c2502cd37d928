// Builds the JupyterLab 4 app of `transportlab lab --ui jupyterlab4` into build/:
//   bundle.js + chunks   src/bootstrap.js (webpack 5, production, no source maps): a module
//                        federation host sharing its core packages as singletons with the prebuilt
//                        labextensions it loads (see ../federation.js);
//   schemas/, themes/    the settings schemas and the light theme of the core extensions, and
//   style.js             their CSS imports, from @jupyterlab/builder's Build.ensureAssets (as
//                        upstream examples/app does);
//   application_settings/overrides.json   default settings of this app (./overrides.json: widget
//                        state saved in notebooks, as the transportlab page does).
// The page and the server are frontend/jupyterlab/server (jupyterlab_server's LabServerApp).
// Installs this folder's dependencies (npm ci) first if they are missing.
// Usage: node frontend/jupyterlab/v4/build.mjs
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, 'build');
const { version } = JSON.parse(readFileSync(join(here, '..', '..', '..', 'package.json'), 'utf8'));
const app = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
if (app.version !== version) throw new Error(`frontend/jupyterlab/v4/package.json version ${app.version} differs from the transportlab version ${version}`);
if (!existsSync(join(here, 'node_modules', '@jupyterlab', 'builder'))) {
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
const require = createRequire(join(here, 'package.json'));
const webpack = require('webpack');
const { Build } = require('@jupyterlab/builder');
const base = require('@jupyterlab/builder/lib/webpack.config.base');

/** The packages the host shares as singletons: the browser-side packages of the JupyterLab/Lumino/widgets/React family it installs. */
const SHARED = /^(@jupyterlab\/(?!builder$)|@lumino\/|@jupyter-widgets\/|@jupyter\/|@codemirror\/(state|view|language)$|@lezer\/(common|highlight)$|@microsoft\/fast-(element|foundation)$|react$|react-dom$|yjs$)/;

/**
 * The module federation `shared` config: each package of the lock file (not dev-only) matching
 * {@link SHARED}, at its installed version, as a singleton. Extensions built against a compatible
 * range use the host's copy; one asking for an incompatible range gets a console warning, as in
 * JupyterLab.
 */
function sharedConfig() {
  const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));
  const shared = {};
  for (const [path, meta] of Object.entries(lock.packages)) {
    const name = path.replace(/^node_modules\//, '');
    if (!meta.dev && name !== path && !name.includes('/node_modules/') && SHARED.test(name)) {
      shared[name] = { requiredVersion: `^${meta.version}`, singleton: true };
    }
  }
  return shared;
}

const started = Date.now();
rmSync(build, { recursive: true, force: true });
const themes = Build.ensureAssets({ packageNames: [...app.jupyterlab.extensions, ...app.jupyterlab.mimeExtensions], output: build });
mkdirSync(join(build, 'application_settings'));
copyFileSync(join(here, 'overrides.json'), join(build, 'application_settings', 'overrides.json'));
const host = {
  ...base,
  mode: 'production',
  devtool: false,
  context: here,
  entry: { bundle: './src/bootstrap.js' },
  output: { ...base.output, path: build, filename: '[name].js', chunkFilename: '[name].[contenthash].js', publicPath: '' },
  performance: { hints: false },
  plugins: [...base.plugins, new webpack.sharing.SharePlugin({ shared: sharedConfig() })],
};
const stats = await new Promise((ok, fail) => webpack([host, ...themes.map((theme) => ({ ...theme, context: here }))]).run((err, s) => (err ? fail(err) : ok(s))));
if (stats.hasErrors()) {
  console.error(stats.toString({ all: false, errors: true, errorDetails: true }));
  process.exit(1);
}
console.log(`JupyterLab 4 app ${version} built in frontend/jupyterlab/v4/build (${((Date.now() - started) / 1000).toFixed(1)} s)`);
