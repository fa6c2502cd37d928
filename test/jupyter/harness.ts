/**
 * Runs the Python kernel-protocol tests (test/jupyter/test_*.py, unittest + jupyter_client)
 * against the compiled kernel: installs the kernelspec with `transportlab install --prefix`
 * into a temporary prefix, points JUPYTER_PATH at it, and reports unittest's counts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const PYTHON = '/usr/bin/python3';

/** Runs the compiled CLI; returns its result (asserting the build exists). */
export function cli(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary prefix with the transportlab kernelspec installed; `cleanup` removes it. */
export function kernelPrefix(): { prefix: string; jupyterPath: string; cleanup: () => void } {
  const prefix = mkdtempSync(join(tmpdir(), 'tl-kernelspec-'));
  const r = cli(['install', '--prefix', prefix]);
  assert.equal(r.status, 0, `transportlab install failed: ${r.stderr}`);
  return { prefix, jupyterPath: join(prefix, 'share', 'jupyter'), cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
}

/**
 * Runs `python3 -m unittest -v <module>` in test/jupyter against the kernel; prints unittest's
 * per-test lines and counts as test diagnostics and fails unless every test passed.
 */
export async function runUnittest(t: TestContext, module: string, timeoutMs = 120_000): Promise<void> {
  const { jupyterPath, cleanup } = kernelPrefix();
  try {
    const child = spawn(PYTHON, ['-m', 'unittest', '-v', module], {
      cwd: join(ROOT, 'test', 'jupyter'),
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    clearTimeout(timer);
    const lines = out.split('\n');
    const verdicts = lines.filter((l) => / \.\.\. (ok|FAIL|ERROR|skipped.*)$/.test(l));
    for (const v of verdicts) t.diagnostic(v);
    const ran = lines.find((l) => /^Ran \d+ tests? in/.test(l)) ?? 'Ran ? tests';
    const summary = lines.find((l) => /^(OK|FAILED)\b/.test(l)) ?? `no unittest summary (exit ${code})`;
    t.diagnostic(`${module}: ${ran} — ${summary}`);
    assert.equal(code, 0, `python3 -m unittest ${module} failed:\n${out.split('\n').filter((l) => !l.startsWith('[transportlab kernel]')).join('\n').slice(-6000)}`);
    assert.match(summary, /^OK/);
  } finally {
    cleanup();
  }
}
