import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'tl-cli-'));

/** Runs `transportlab ARGS` from source; resolves to its exit code, stdout and stderr. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, TRANSPORTLAB_DEBUG: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function targetFile(name: string, body: string): string {
  const p = join(tmp, name);
  writeFileSync(p, body);
  return p;
}

const FAST = ['--chains', '8', '--steps', '5', '--warmup', '0'];

const errors: Array<{ what: string; args: string[]; argument: RegExp }> = [
  { what: 'unknown target', args: ['sample', '--target', 'nope', ...FAST], argument: /^transportlab: --target: expected one of gaussian, .*gmm40.*got "nope"$/ },
  { what: 'unknown sampler', args: ['sample', '--target', 'gaussian', '--sampler', 'nuts', ...FAST], argument: /^transportlab: --sampler: expected one of rwmh, mala, ula, hmc, got "nuts"$/ },
  { what: 'zero chains', args: ['sample', '--target', 'gaussian', '--chains', '0'], argument: /^transportlab: --chains: expected an integer >= 1, got "0"$/ },
  { what: 'negative steps', args: ['sample', '--target', 'gaussian', '--steps', '-3'], argument: /^transportlab: --steps: expected an integer >= 1/ },
  { what: 'fractional warm-up', args: ['sample', '--target', 'gaussian', '--warmup', '2.5'], argument: /^transportlab: --warmup: expected an integer >= 0/ },
  { what: 'zero step size', args: ['sample', '--target', 'gaussian', '--step-size', '0'], argument: /^transportlab: --step-size: expected a finite number > 0, got "0"$/ },
  { what: 'non-numeric step size', args: ['sample', '--target', 'gaussian', '--step-size', 'abc'], argument: /^transportlab: --step-size: expected a finite number > 0/ },
  { what: 'bad --init', args: ['sample', '--target', 'gaussian', '--init', 'uniform:3,1', ...FAST], argument: /^transportlab: --init: expected "normal:SCALE"/ },
  { what: 'bad --target-options JSON', args: ['sample', '--target', 'funnel', '--target-options', '{dim:3}', ...FAST], argument: /^transportlab: --target-options: expected a JSON object/ },
  { what: 'unknown target option', args: ['sample', '--target', 'funnel', '--target-options', '{"dimm":3}', ...FAST], argument: /^transportlab: --target-options: expected valid options for funnel .*dimm/ },
  {
    what: 'target file that throws',
    args: ['sample', '--target', targetFile('throws.mjs', 'export default { dim: 2, logDensity: () => { throw new Error("kaboom"); } };'), ...FAST],
    argument: /^transportlab: --target: expected a logDensity that evaluates .*kaboom/,
  },
  {
    what: 'target file returning NaN',
    args: ['sample', '--target', targetFile('nan.mjs', 'export default { dim: 2, logDensity: (x) => x.sum(1).mul(NaN) };'), ...FAST],
    argument: /^transportlab: --target: expected logDensity to return finite values.*NaN at test point 0/,
  },
  {
    what: 'target file returning the wrong shape',
    args: ['sample', '--target', targetFile('shape.mjs', 'export default { dim: 3, logDensity: (x) => x.square() };'), ...FAST],
    argument: /^transportlab: --target: expected logDensity\(x: \[4, 3\]\) to return shape \[4\].*got "shape \[4, 3\]"$/,
  },
  { what: 'missing target file', args: ['sample', '--target', join(tmp, 'absent.mjs'), ...FAST], argument: /^transportlab: --target: expected an existing file/ },
  { what: 'logz: unknown method', args: ['logz', '--target', 'gaussian', '--method', 'bridge'], argument: /^transportlab: --method: expected one of smc, ais, is, got "bridge"$/ },
  { what: 'logz: one particle', args: ['logz', '--target', 'gaussian', '--particles', '1'], argument: /^transportlab: --particles: expected an integer >= 2, got "1"$/ },
  { what: 'logz: non-positive base scale', args: ['logz', '--target', 'gaussian', '--base-scale', '-1'], argument: /^transportlab: --base-scale: expected a finite number > 0/ },
  { what: 'unknown option', args: ['sample', '--target', 'gaussian', '--bogus'], argument: /^error: unknown option '--bogus'$/ },
];

describe('bad input: one line on stderr naming the argument, exit code 2, no stack trace', { concurrency: 3 }, () => {
  for (const e of errors) {
    test(e.what, async () => {
      const r = await cli(...e.args);
      assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
      assert.match(lines[0], e.argument);
      assert.equal(r.stdout, '');
    });
  }
});

describe('successful runs', { concurrency: 2 }, () => {
  test('sample --json --out: a summary per dimension and the trace as CSV', async () => {
    const out = join(tmp, 'trace.csv');
    const r = await cli('sample', '--target', 'gaussian', '--target-options', '{"dim":3,"mean":[1,-1,0]}', '--sampler', 'mala', '--chains', '64', '--steps', '60', '--warmup', '40', '--thin', '2', '--seed', '3', '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.target, 'gaussian');
    assert.equal(rep.sampler, 'mala');
    assert.equal(rep.dim, 3);
    assert.equal(rep.chains, 64);
    assert.equal(rep.draws, 30);
    assert.equal(rep.aborted, false);
    assert.ok(rep.acceptanceRate > 0.2 && rep.acceptanceRate <= 1, `acceptance ${rep.acceptanceRate}`);
    assert.ok(rep.stepSize > 0 && rep.wallTimeSeconds > 0);
    assert.equal(rep.dimensions.length, 3);
    for (const [j, s] of rep.dimensions.entries()) {
      for (const k of ['mean', 'sd', 'essBulk', 'essTail', 'rhat', 'mcse']) assert.ok(Number.isFinite(s[k]), `${k} of x${j}`);
      // the chains start from N(0, I) and the target is N(mean, I): within 6 MCSE of the true mean
      assert.ok(Math.abs(s.mean - [1, -1, 0][j]) < 6 * s.mcse, `mean of x${j}: ${s.mean} ± ${s.mcse}`);
    }
    const csv = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(csv[0], 'chain,step,x0,x1,x2,logDensity,accepted');
    assert.equal(csv.length, 1 + 64 * 30);
    const row = csv[csv.length - 1].split(',').map(Number);
    assert.equal(row.length, 7);
    assert.deepEqual(row.slice(0, 2), [63, 60]);
    assert.ok(row.every(Number.isFinite));
    // logDensity column = −½|x − μ|² of the row's coordinates
    assert.ok(Math.abs(row[5] + 0.5 * ((row[2] - 1) ** 2 + (row[3] + 1) ** 2 + row[4] ** 2)) < 1e-5);
    // same seed, same run
    const again = await cli('sample', '--target', 'gaussian', '--target-options', '{"dim":3,"mean":[1,-1,0]}', '--chains', '64', '--steps', '60', '--warmup', '40', '--thin', '2', '--seed', '3', '--json');
    assert.deepEqual(JSON.parse(again.stdout).dimensions, rep.dimensions);
  });

  test('logz --json: the estimate agrees with the exact log Z within 5 standard errors', async () => {
    const r = await cli('logz', '--target', 'banana', '--target-options', '{"b":0.05,"sigma":2}', '--method', 'is', '--particles', '20000', '--base-scale', '3', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.method, 'is');
    assert.equal(rep.particles, 20000);
    assert.ok(Math.abs(rep.exactLogZ - (Math.log(2 * Math.PI) + Math.log(2))) < 1e-12);
    assert.ok(rep.logZStdErr > 0 && rep.logZStdErr < 0.1, `stderr ${rep.logZStdErr}`);
    assert.ok(Math.abs(rep.logZ - rep.exactLogZ) < 5 * rep.logZStdErr, `log Z ${rep.logZ} ± ${rep.logZStdErr} vs ${rep.exactLogZ}`);
    assert.ok(rep.ess > 100);
  });
});
