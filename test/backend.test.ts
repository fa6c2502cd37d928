import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BACKENDS, ready, tf } from '../src/core/backend.js';

test('ready() picks a backend from the list and TensorFlow.js runs on it', async () => {
  const name = await ready();
  assert.ok((BACKENDS as readonly string[]).includes(name));
  assert.equal(tf.getBackend(), name);
  assert.deepEqual(Array.from(tf.add([1, 2], [3, 4]).dataSync()), [4, 6]);
});

test('TRANSPORTLAB_BACKEND selects the backend, and a bad value is a clear error', () => {
  const probe = `import('./src/core/backend.ts').then(m => m.ready()).then(b => console.log(b), e => { console.error(e.message); process.exit(3); })`;
  const run = (value: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], { env: { ...process.env, TRANSPORTLAB_BACKEND: value }, encoding: 'utf8' });
  const cpu = run('cpu');
  assert.equal(cpu.stdout.trim(), 'cpu', cpu.stderr);
  const bad = run('gpu');
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /TRANSPORTLAB_BACKEND: expected one of tensorflow, wasm, cpu, got "gpu"/);
});
