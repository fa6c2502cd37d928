// Builds the prebuilt JupyterLab (3.6 and 4) extension of the transportlab widget views (module federation):
//   1. esbuild: src/index.ts (the plugin) and src/views.ts (the views of ../src) -> lib/*.js, ES
//      modules with @jupyter-widgets/base and plotly left as imports;
//   2. @jupyterlab/builder's build-labextension (webpack 5) -> labextension/{package.json,static/},
//      @jupyter-widgets/base shared as a singleton provided by JupyterLab's ipywidgets extension,
//      the views + plotly as a lazily loaded chunk.
// Installs this folder's dependencies (npm ci) first if they are missing.
// Usage: node widgets/lab/build.mjs [--development]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lab = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
if (lab.version !== version) throw new Error(`widgets/lab/package.json version ${lab.version} differs from the transportlab version ${version}`);
if (!existsSync(join(here, 'node_modules', '@jupyterlab', 'builder'))) {
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
const { build } = await import('esbuild');
rmSync(join(here, 'lib'), { recursive: true, force: true });
await build({
  entryPoints: { index: join(here, 'src', 'index.ts'), views: join(here, 'src', 'views.ts') },
  outdir: join(here, 'lib'),
  bundle: true,
  format: 'esm',
  target: 'es2020',
  logLevel: 'warning',
  external: ['@jupyter-widgets/base', 'plotly.js-dist-min', './views.js'],
  define: { __TRANSPORTLAB_VERSION__: JSON.stringify(version) },
});
const args = [join(here, 'node_modules', '@jupyterlab', 'builder', 'lib', 'build-labextension.js'), '--core-path', join(here, 'core')];
if (process.argv.includes('--development')) args.push('--development');
execFileSync(process.execPath, [...args, here], { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`transportlab-widgets labextension ${version} built in widgets/lab/labextension`);
