/**
 * `npm start` itself (the README's main job: `transportlab lab --ui jupyterlab4`), without a
 * browser: it prints the JupyterLab URL with its token on a free port; the page needs the token
 * and embeds a page config listing the transportlab-widgets labextension, whose remoteEntry is
 * served; the kernelspec is found; /api/me answers for JupyterLab 4 clients; Ctrl+C (SIGINT to the
 * process group) stops it and its server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/cli/server.js';
import { writeNotebook } from './browser/page.js';

const ROOT = join(import.meta.dirname, '..');

test('npm start serves JupyterLab 4 with the widget labextension on the notebooks folder and stops on Ctrl+C', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-start-'));
  writeNotebook(dir, 'a.ipynb', ['1 + 1']);
  const port = await freePort();
  const child = spawn('npm', ['start', '--', '--dir', dir, '--port', String(port)], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code, signal) => ok(code ?? (signal ? 128 : null))));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', () => undefined);
  try {
    const deadline = Date.now() + 200_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+/.test(out)) {
      assert.ok(Date.now() < deadline, `no URL printed:\n${out}`);
      assert.equal(child.exitCode, null, `npm start exited:\n${out}`);
      await new Promise((ok) => setTimeout(ok, 200));
    }
    const url = new URL(/http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+/.exec(out)![0]);
    assert.equal(Number(url.port), port, 'the port asked for');
    const token = url.searchParams.get('token')!;
    const base = `http://127.0.0.1:${port}/`;
    const noToken = await fetch(`${base}lab`, { redirect: 'manual' });
    assert.equal(noToken.status, 302, 'the page needs the token');
    const html = await (await fetch(url)).text();
    const config = JSON.parse(/<script id="jupyter-config-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]) as {
      fullStaticUrl: string;
      federated_extensions: { name: string; load: string }[];
      fullLabextensionsUrl: string;
    };
    const widgets = config.federated_extensions.find((e) => e.name === 'transportlab-widgets');
    assert.ok(widgets, JSON.stringify(config.federated_extensions));
    const auth = { headers: { Authorization: `token ${token}` } };
    const remote = await fetch(`http://127.0.0.1:${port}${config.fullLabextensionsUrl}/transportlab-widgets/${widgets.load}`, auth);
    assert.equal(remote.status, 200);
    assert.match(await remote.text(), /_JUPYTERLAB/);
    assert.equal((await fetch(`http://127.0.0.1:${port}${config.fullStaticUrl}/bundle.js`, auth)).status, 200, 'the JupyterLab bundle is served');
    const specs = (await (await fetch(`${base}api/kernelspecs`, auth)).json()) as { default: string; kernelspecs: Record<string, unknown> };
    assert.equal(specs.default, 'transportlab');
    const me = (await (await fetch(`${base}api/me`, auth)).json()) as { identity: { username: string } };
    assert.equal(me.identity.username, 'transportlab');
    assert.equal((await fetch(`${base}api/me`)).status, 403, '/api/me needs the token');
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
    assert.notEqual(code, null);
  }
  await assert.rejects(fetch(`http://127.0.0.1:${port}/api/status`), 'the server is gone after Ctrl+C');
});
