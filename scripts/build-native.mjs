#!/usr/bin/env node
/**
 * Builds the optional native addon build/native/transportlab_blas.node (native/blas.c: OpenBLAS
 * matrix products on TensorFlow.js's wasm heap, used by src/nn/dense.ts through
 * src/core/native.ts). Optional by design: when the C compiler, Node's headers or OpenBLAS are
 * missing, or the result does not load, it prints one notice and exits 0 (the library then
 * keeps its WebAssembly path). `TRANSPORTLAB_NATIVE=0` skips the build.
 *
 * Needs: a C compiler (`cc`, or `$CC`), Node-API headers (node_api.h next to the node binary
 * or in /usr/include/node; Debian: nodejs), OpenBLAS (Debian: libopenblas-dev, or only the
 * runtime libopenblas0, linked as libopenblas.so.0).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'blas.c');
const out = join(root, 'build', 'native', 'transportlab_blas.node');
const notice = (msg) => console.log(`transportlab: native BLAS addon not built (${msg}); the WebAssembly path will be used.`);

function build() {
  if (process.env.TRANSPORTLAB_NATIVE === '0') return notice('TRANSPORTLAB_NATIVE=0');
  const headers = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].find((d) =>
    existsSync(join(d, 'node_api.h')),
  );
  if (headers === undefined) return notice('Node-API headers (node_api.h) not found');
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) return notice(`no C compiler (${cc})`);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = out.replace(/\.node$/, `.${process.pid}.tmp.node`);
  const platform = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
  // libopenblas.so comes with the development package; the runtime library alone is libopenblas.so.0
  const libraries = process.platform === 'linux' ? [['-lopenblas'], ['-l:libopenblas.so.0']] : [['-lopenblas']];
  let error = '';
  for (const lib of libraries) {
    const args = ['-O3', '-std=c11', '-ffp-contract=off', '-fno-math-errno', '-Wall', '-shared', '-fPIC', `-I${headers}`, ...platform, source, '-o', tmp, ...lib, '-lm'];
    const r = spawnSync(cc, args, { encoding: 'utf8' });
    if (r.status === 0) {
      // load it in a separate process before putting it in place: a broken build must not be found
      const check = spawnSync(process.execPath, ['-e', `const b = require(${JSON.stringify(tmp)}); b.setThreads(1); b.info();`], { encoding: 'utf8' });
      if (check.status !== 0) {
        rmSync(tmp, { force: true });
        return notice(`built but does not load: ${(check.stderr || '').trim().split('\n')[0]}`);
      }
      renameSync(tmp, out);
      return console.log(`transportlab: built ${out} (OpenBLAS ${lib.join(' ')})`);
    }
    error = (r.stderr || r.error?.message || '').trim().split('\n').find((l) => /error|cannot find|not found/i.test(l)) ?? `exit ${r.status}`;
  }
  rmSync(tmp, { force: true });
  notice(`compiling native/blas.c failed, is OpenBLAS installed? ${error}`);
}

try {
  build();
} catch (e) {
  notice(e instanceof Error ? e.message : String(e));
}
process.exit(0);
