/**
 * `transportlab start`: installs the kernelspec locally, starts the notebook server on 127.0.0.1
 * with a token, prints the URL; the server refuses requests without the token, starts a
 * transportlab kernel that runs a cell sent through the server's websocket, and stops with the
 * command. In Debian's Chromium, the classic notebook UI opens a notebook with the transportlab
 * kernel and runs a TypeScript cell with rich output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CLI, PYTHON, ROOT } from './jupyter/harness.js';

/** Runs `transportlab start` with `args` until `body` resolves; gives `body` the base URL and token. */
async function withServer(args: string[], body: (base: string, token: string) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    await body(`http://127.0.0.1:${m[1]}`, m[2]);
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
}

test('start: notebook server behind a token, the transportlab kernel through the REST API, a websocket and the classic UI', { timeout: 150_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-ui-'));
  copyFileSync(join(ROOT, 'notebooks', 'quickstart.ipynb'), join(dir, 'quickstart.ipynb'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await withServer(['--dir', dir], async (base, token) => {
      const auth = { Authorization: `token ${token}` };
      assert.equal((await fetch(`${base}/api/kernelspecs`)).status, 403, 'no token, no access');
      const specs = (await (await fetch(`${base}/api/kernelspecs`, { headers: auth })).json()) as { default: string; kernelspecs: Record<string, { spec: { display_name: string } }> };
      assert.equal(specs.default, 'transportlab');
      assert.equal(specs.kernelspecs.transportlab.spec.display_name, 'TypeScript (transportlab)');
      const contents = (await (await fetch(`${base}/api/contents`, { headers: auth })).json()) as { path: string; content: { name: string }[] };
      assert.deepEqual(contents.content.map((c) => c.name), ['quickstart.ipynb'], 'the --dir folder is served');
      const started = await fetch(`${base}/api/kernels`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'transportlab' }) });
      assert.equal(started.status, 201);
      const kernel = (await started.json()) as { id: string; name: string };
      assert.equal(kernel.name, 'transportlab');
      // a cell through the server's websocket, as the browser sends it
      const cell = spawnSync(PYTHON, [join(ROOT, 'test', 'jupyter', 'ws_execute.py'), base, token, kernel.id, "import { random } from 'transportlab'; random.key(7) instanceof random.Key ? 6 * 7 : -1"], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(cell.status, 0, cell.stderr);
      assert.equal(cell.stdout.trim(), '42');
      assert.equal((await fetch(`${base}/api/kernels/${kernel.id}`, { method: 'DELETE', headers: auth })).status, 204);

      // the classic notebook UI in Chromium
      const page = await browser.newPage();
      await page.goto(`${base}/notebooks/quickstart.ipynb?token=${token}`);
      await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.info_reply?.implementation === 'transportlab', undefined, { timeout: 60_000 });
      assert.equal(await page.locator('.kernel_indicator_name').textContent(), 'TypeScript (transportlab)');
      await page.evaluate(() => {
        const nb = (window as any).Jupyter.notebook;
        const cell = nb.insert_cell_at_bottom('code');
        cell.set_text("import { random } from 'transportlab';\ndisplay.html('<b id=\"tl-e2e\">rich</b>');\nconst k: random.Key = random.key(3);\n6 * 7");
        cell.execute();
      });
      await page.waitForSelector('#tl-e2e', { timeout: 60_000 });
      const last = page.locator('.cell').last();
      await last.locator('.output_result').waitFor({ timeout: 30_000 });
      assert.equal((await last.locator('.output_result pre').textContent())?.trim(), '42');
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
