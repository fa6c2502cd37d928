/**
 * The plotly HTML fallback works where no plotly renderer exists: the executed quickstart notebook
 * exported by nbconvert to HTML draws its figure in Debian's Chromium (plotly.js inlined in the
 * output, no network).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ROOT } from './jupyter/harness.js';

const CHROMIUM = '/usr/bin/chromium';

test('quickstart exported to HTML draws its plotly figure offline', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), 'Debian chromium is needed');
  const out = mkdtempSync(join(tmpdir(), 'tl-html-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const r = spawnSync('/usr/bin/jupyter', ['nbconvert', '--to', 'html', '--output-dir', out, join(ROOT, 'notebooks', 'quickstart.ipynb')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const page = await browser.newPage();
    const external: string[] = [];
    await page.route(/^https?:/, (route) => (external.push(route.request().url()), route.abort()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(out, 'quickstart.html')).href);
    await page.waitForSelector('.plotly-graph-div .main-svg', { timeout: 30_000 });
    const points = await page.locator('.plotly-graph-div .scatterlayer .point').count();
    assert.equal(points, 32 * 300, 'one marker per draw (32 chains × 300 steps)');
    const title = await page.locator('.plotly-graph-div .gtitle').textContent();
    assert.match(title ?? '', /GMM-40: MALA draws/);
    assert.deepEqual(errors, []);
    assert.ok(external.every((u) => !u.includes('plot.ly') && !u.includes('plotly')), `plotly.js came from the network: ${external.join(', ')}`);
  } finally {
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
});
