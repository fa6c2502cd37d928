// Builds the transportlab front-end bundles with esbuild (a few seconds):
//   frontend/dist/app.{js,css}  the notebook page (services + rendermime + html-manager + views)
//   frontend/dist/embed.{js,css} widgets of exported HTML, rendered offline from the saved state
//   widgets/dist/index.js       the widget views as an ES module (@jupyter-widgets/base external)
//   widgets/dist/amd/index.js   the same as an AMD module for html-manager / VS Code / nbconvert
// Usage: node frontend/build.mjs [--dev]
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dev = process.argv.includes('--dev');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Webpack-style CSS imports (`@import url('~@jupyterlab/apputils/style/index.css')`).
const tilde = {
  name: 'tilde-imports',
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) => b.resolve(args.path.slice(1), { resolveDir: args.resolveDir, kind: args.kind }));
  },
};
const common = {
  plugins: [tilde],
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  target: 'es2020',
  logLevel: 'warning',
  nodePaths: [join(here, 'node_modules'), join(root, 'node_modules')],
  define: { __TRANSPORTLAB_VERSION__: JSON.stringify(version), 'process.env': '{}' },
  loader: { '.svg': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.png': 'dataurl', '.gif': 'dataurl' },
};

// The page: everything bundled; html-manager's libembed assigns __webpack_public_path__.
await build({
  ...common,
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(here, 'dist', 'app.js'),
  format: 'iife',
  banner: { js: "var __webpack_public_path__ = '';" },
});

// The offline widget renderer inlined into exported HTML (`transportlab export`).
await build({
  ...common,
  entryPoints: [join(here, 'src', 'embed.ts')],
  outfile: join(here, 'dist', 'embed.js'),
  format: 'iife',
  banner: { js: "var __webpack_public_path__ = '';" },
  loader: { ...common.loader, '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl' },
});

// The views as an ES module for hosts that provide @jupyter-widgets/base.
await build({ ...common, entryPoints: [join(root, 'widgets', 'src', 'index.ts')], outfile: join(root, 'widgets', 'dist', 'index.js'), format: 'esm', external: ['@jupyter-widgets/base'] });

// The views as an AMD module (RequireJS loaders of html-manager, VS Code, nbconvert HTML).
const cjs = await build({ ...common, entryPoints: [join(root, 'widgets', 'src', 'index.ts')], outfile: join(root, 'widgets', 'dist', 'amd', 'index.js'), write: false, format: 'cjs', external: ['@jupyter-widgets/base'] });
const amd =
  "define(['@jupyter-widgets/base'], function (base) {\n" +
  'var define; var module = { exports: {} }; var exports = module.exports;\n' +
  "var require = function (name) { if (name === '@jupyter-widgets/base') return base; throw new Error('transportlab-widgets: cannot load ' + name); };\n" +
  cjs.outputFiles[0].text +
  '\nreturn module.exports;\n});\n';
mkdirSync(join(root, 'widgets', 'dist', 'amd'), { recursive: true });
writeFileSync(join(root, 'widgets', 'dist', 'amd', 'index.js'), amd);
console.log(`transportlab front-end ${version} built${dev ? ' (dev)' : ''}`);
