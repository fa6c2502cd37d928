/**
 * The front-end server of `transportlab lab` without a browser: token auth on pages and APIs,
 * the transportlab kernelspec installed and found, the bundle served, bad arguments refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../src/core/errors.js';
import { startFrontend, type RunningFrontend } from '../src/cli/frontend.js';

let server: RunningFrontend;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tl-server-'));
  writeFileSync(join(dir, 'a.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
  server = await startFrontend({ dir, log: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('pages and APIs need the token; with it the page embeds the config and the kernelspec is there', async () => {
  const noToken = await fetch(`${server.baseUrl}transportlab/tree/`, { redirect: 'manual' });
  assert.equal(noToken.status, 302);
  assert.match(noToken.headers.get('location') ?? '', /\/login\?next=/);
  assert.equal((await fetch(`${server.baseUrl}api/contents`)).status, 403);
  const page = await fetch(server.url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const config = JSON.parse(/<script id="tl-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);
  assert.deepEqual(config, { baseUrl: '/', wsUrl: '', token: server.token, appUrl: '/transportlab/', kernelName: 'transportlab' });
  const auth = { headers: { Authorization: `token ${server.token}` } };
  const specs = (await (await fetch(`${server.baseUrl}api/kernelspecs`, auth)).json()) as { kernelspecs: Record<string, { spec: { argv: string[]; language: string } }> };
  assert.equal(specs.kernelspecs.transportlab.spec.language, 'typescript');
  assert.match(specs.kernelspecs.transportlab.spec.argv.join(' '), /dist\/cli\/main\.js kernel --connection-file/);
  const listing = (await (await fetch(`${server.baseUrl}api/contents`, auth)).json()) as { content: { name: string }[] };
  assert.deepEqual(listing.content.map((c) => c.name), ['a.ipynb']);
  const bundle = await fetch(`${server.baseUrl}transportlab/static/app.js`);
  assert.equal(bundle.status, 200);
  assert.ok(Number(bundle.headers.get('content-length') ?? (await bundle.arrayBuffer()).byteLength) > 100_000);
});

test('a missing notebook directory is an ArgumentError naming --dir', async () => {
  await assert.rejects(startFrontend({ dir: join(dir, 'nope') }), (e) => e instanceof ArgumentError && /--dir/.test(e.message));
});
