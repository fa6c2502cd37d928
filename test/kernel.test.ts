/**
 * The transportlab Jupyter kernel through real clients: Debian's jupyter_kernel_test suite,
 * forged messages (wrong key, unsigned, tampered) never run, and the kernelspec install/uninstall.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, kernelPrefix, ROOT, runUnittest } from './jupyter/harness.js';

test('jupyter_kernel_test protocol suite', { timeout: 180_000 }, async (t) => {
  await runUnittest(t, 'test_kernel');
});

test('messages with a wrong key, no signature or tampered content are not executed', { timeout: 120_000 }, async (t) => {
  await runUnittest(t, 'test_security');
});

test('install --prefix/--user writes the kernelspec with logos; uninstall removes it', () => {
  const { prefix, cleanup } = kernelPrefix();
  try {
    const dir = join(prefix, 'share', 'jupyter', 'kernels', 'transportlab');
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    assert.equal(spec.display_name, 'TypeScript (transportlab)');
    assert.equal(spec.language, 'typescript');
    assert.deepEqual(spec.argv.slice(1), [join(ROOT, 'dist', 'cli', 'main.js'), 'kernel', '--connection-file', '{connection_file}']);
    assert.ok(existsSync(spec.argv[0]), 'argv[0] is the absolute path of node');
    for (const size of [32, 64]) {
      const png = readFileSync(join(dir, `logo-${size}x${size}.png`));
      assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
      assert.equal(png.toString('ascii', 12, 16), 'IHDR');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size]);
    }
    const listed = cli(['uninstall', '--prefix', prefix]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(!existsSync(dir));
    // --user goes to Jupyter's data directory (here redirected by JUPYTER_DATA_DIR)
    const env = { ...process.env, JUPYTER_DATA_DIR: join(prefix, 'data') };
    assert.equal(cli(['install', '--user'], env).status, 0);
    assert.ok(existsSync(join(prefix, 'data', 'kernels', 'transportlab', 'kernel.json')));
    assert.equal(cli(['uninstall', '--user'], env).status, 0);
    assert.ok(!existsSync(join(prefix, 'data', 'kernels', 'transportlab')));
    // --sys-prefix follows the active environment: a conda env's prefix
    const conda = { ...process.env, CONDA_PREFIX: join(prefix, 'conda'), VIRTUAL_ENV: '' };
    assert.equal(cli(['install', '--sys-prefix'], conda).status, 0);
    assert.ok(existsSync(join(prefix, 'conda', 'share', 'jupyter', 'kernels', 'transportlab', 'kernel.json')));
    assert.equal(cli(['uninstall', '--sys-prefix'], conda).status, 0);
    assert.ok(!existsSync(join(prefix, 'conda', 'share', 'jupyter', 'kernels', 'transportlab')));
    const both = cli(['install', '--prefix', prefix, '--user']);
    assert.equal(both.status, 2, 'two scopes at once is an argument error');
    assert.match(both.stderr, /at most one of --user, --sys-prefix, --prefix/);
  } finally {
    cleanup();
  }
});
