/**
 * `transportlab start`: installs the kernelspec locally, starts the notebook server on 127.0.0.1
 * with a token, prints the URL; the server refuses requests without the token, starts a
 * transportlab kernel that runs a cell sent through the server's websocket, and stops with the command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, PYTHON, ROOT } from './jupyter/harness.js';

test('start serves the notebooks with the transportlab kernel behind a token', { timeout: 90_000 }, async () => {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', ok));
  try {
    const deadline = Date.now() + 60_000;
    let m: RegExpMatchArray | null = null;
    while (!(m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})/)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(m, `no URL printed; stderr:\n${err.slice(-3000)}`);
    const base = `http://127.0.0.1:${m[1]}`;
    const auth = { Authorization: `token ${m[2]}` };
    assert.equal((await fetch(`${base}/api/kernelspecs`)).status, 403, 'no token, no access');
    const specs = (await (await fetch(`${base}/api/kernelspecs`, { headers: auth })).json()) as { default: string; kernelspecs: Record<string, { spec: { display_name: string } }> };
    assert.equal(specs.default, 'transportlab');
    assert.equal(specs.kernelspecs.transportlab.spec.display_name, 'TypeScript (transportlab)');
    const contents = (await (await fetch(`${base}/api/contents`, { headers: auth })).json()) as { path: string; content: { name: string }[] };
    assert.ok(contents.content.some((c) => c.name.endsWith('.ipynb')), 'the notebooks folder is served');
    const started = await fetch(`${base}/api/kernels`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'transportlab' }) });
    assert.equal(started.status, 201);
    const kernel = (await started.json()) as { id: string; name: string };
    assert.equal(kernel.name, 'transportlab');
    // a cell through the server's websocket, as the browser sends it
    const cell = spawnSync(PYTHON, [join(ROOT, 'test', 'jupyter', 'ws_execute.py'), base, m[2], kernel.id, "import { random } from 'transportlab'; random.key(7) instanceof random.Key ? 6 * 7 : -1"], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(cell.status, 0, cell.stderr);
    assert.equal(cell.stdout.trim(), '42');
    assert.equal((await fetch(`${base}/api/kernels/${kernel.id}`, { method: 'DELETE', headers: auth })).status, 204);
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
});
