/**
 * Every notebook in notebooks/ executes top to bottom with the transportlab kernel
 * (`jupyter nbconvert --to notebook --execute`); a cell error fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelPrefix, ROOT } from './jupyter/harness.js';

const DIR = join(ROOT, 'notebooks');
const notebooks = readdirSync(DIR).filter((f) => f.endsWith('.ipynb')).sort();

test('notebooks/ holds notebooks', () => {
  assert.ok(notebooks.includes('quickstart.ipynb'));
});

for (const name of notebooks) {
  test(`notebook ${name} executes without a cell error`, { timeout: 600_000 }, async (t) => {
    const { jupyterPath, cleanup } = kernelPrefix();
    const out = mkdtempSync(join(tmpdir(), 'tl-nb-'));
    try {
      const t0 = performance.now();
      const child = spawn('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=600', '--output-dir', out, join(DIR, name)], {
        cwd: DIR,
        env: { ...process.env, JUPYTER_PATH: jupyterPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      const code = await new Promise<number | null>((ok) => child.on('close', ok));
      t.diagnostic(`${name}: executed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.equal(code, 0, `nbconvert failed on ${name}:\n${log.slice(-4000)}`);
      const nb = JSON.parse(readFileSync(join(out, name), 'utf8')) as { cells: { cell_type: string; outputs?: { output_type: string; ename?: string; evalue?: string }[] }[] };
      const errors = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'error');
      assert.deepEqual(errors.map((e) => `${e.ename}: ${e.evalue}`), []);
      assert.ok(nb.cells.some((c) => (c.outputs ?? []).length > 0), 'the executed notebook has outputs');
    } finally {
      rmSync(out, { recursive: true, force: true });
      cleanup();
    }
  });
}
