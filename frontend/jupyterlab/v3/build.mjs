// Builds the JupyterLab 3.6 app of `transportlab lab --ui jupyterlab3` into build/:
//   bundle.js + [contenthash] chunks   src/bootstrap.js -> src/index.js (webpack 5, production,
//                                      no source maps), a module federation host;
//   schemas/, themes/, style.js        @jupyterlab/builder's Build.ensureAssets for the core
//                                      extensions of package.json `jupyterlab.extensions`.
// Installs this folder's dependencies first (npm ci, from package-lock.json) if they are missing.
// Shared with the federated labextensions (singletons, as JupyterLab's dev_mode shares its core):
// every installed @jupyterlab/*, @lumino/*, @jupyter-widgets/*, @jupyter/* package, react,
// react-dom and yjs; the core extension packages are shared too, not as singletons.
// Usage: node frontend/jupyterlab/v3/build.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const build = join(here, 'build');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (pkg.version !== version) throw new Error(`frontend/jupyterlab/v3/package.json version ${pkg.version} differs from the transportlab version ${version}`);

const started = Date.now();
if (!existsSync(join(here, 'node_modules'))) {
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
  console.log(`npm ci: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
const require = createRequire(join(here, 'package.json'));
const webpack = require('webpack');
const { Build } = require('@jupyterlab/builder');
const baseConfig = require('@jupyterlab/builder/lib/webpack.config.base');

/** The module federation `shared` configuration (see the header). */
function shared() {
  const extensions = new Set(pkg.jupyterlab.extensions);
  const modules = join(here, 'node_modules');
  const scoped = ['@jupyterlab', '@lumino', '@jupyter-widgets', '@jupyter'].flatMap((scope) => readdirSync(join(modules, scope)).map((name) => `${scope}/${name}`));
  const names = [...scoped, 'react', 'react-dom', 'yjs'].filter((name) => name !== '@jupyterlab/builder');
  return Object.fromEntries(names.map((name) => {
    const installed = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
    return [name, { requiredVersion: `^${installed}`, singleton: !extensions.has(name) }];
  }));
}

rmSync(build, { recursive: true, force: true });
const themes = Build.ensureAssets({ packageNames: pkg.jupyterlab.extensions, output: build, hashFunction: 'sha256' });
const app = {
  ...baseConfig,
  mode: 'production',
  devtool: false,
  context: here,
  entry: { bundle: ['whatwg-fetch', './src/bootstrap.js'] },
  output: { path: build, filename: '[name].js', chunkFilename: '[name].[contenthash].js', publicPath: 'auto', hashFunction: 'sha256' },
  performance: { hints: false },
  plugins: [...baseConfig.plugins, new webpack.container.ModuleFederationPlugin({ name: 'transportlab_jupyterlab3', shared: shared() })],
};
const stats = await new Promise((ok, fail) => webpack([app, ...themes.map((theme) => ({ ...theme, context: here }))], (err, s) => (err ? fail(err) : ok(s))));
if (stats.hasErrors()) {
  console.error(stats.toString({ all: false, errors: true, errorDetails: true }));
  process.exit(1);
}
console.log(`JupyterLab 3 app ${version} built in frontend/jupyterlab/v3/build (${((Date.now() - started) / 1000).toFixed(1)} s)`);
