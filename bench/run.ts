/**
 * `npm run bench`: times the workloads of bench/workloads/*.ts (specs in
 * ../shared/bench/WORKLOADS.md) and, in the same run, the PyTorch reference
 * (../shared/bench/torch_reference.py), and prints one table of ratios
 * PyTorch time / our time (> 1: we are faster).
 *
 *   npm run bench -- --only W2,W5 --reps 20 --rounds 2 --json out.json
 *
 * Each of our workloads: set-up (untimed), `warmup` untimed calls, `reps` calls timed one by one
 * (median and min, ms); tf.memory().numTensors must not grow across the timed calls. With
 * `--rounds k > 1` ours and PyTorch alternate k times (ours, PyTorch, ours, …) and each reported
 * time is the median of the rounds' medians (and the min of the mins), since throughput on a
 * shared machine drifts within minutes (RESULTS-torch.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { ready, tf } from '../src/core/backend.js';
import { median, type Workload } from './workload.js';

interface Timing {
  median: number;
  min: number;
  /** Median process CPU time per call (all threads), ms: near the wall time on an idle machine. */
  cpu?: number;
  sanity: Record<string, number>;
}

interface TorchRun {
  threads: number;
  workloads: Record<string, { median_ms: number; min_ms: number; check: Record<string, number | boolean> }>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const torchDir = join(root, '..', 'shared', 'bench');
const python = '/usr/bin/python3';

async function loadWorkloads(only: string[]): Promise<Workload[]> {
  const dir = join(root, 'bench', 'workloads');
  const all: Workload[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(join(dir, f))) as { default: Workload | Workload[] };
    all.push(...(Array.isArray(mod.default) ? mod.default : [mod.default]));
  }
  const ref = (w: Workload) => w.reference ?? w.id;
  const picked = only.length ? all.filter((w) => only.includes(w.id) || only.includes(ref(w))) : all;
  const unknown = only.filter((o) => !all.some((w) => w.id === o || ref(w) === o));
  if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${all.map((w) => w.id).join(', ')}`);
  return picked;
}

async function timeOurs(w: Workload, repsOverride?: number, warmupOverride?: number): Promise<Timing> {
  const warmup = warmupOverride ?? w.warmup ?? 5;
  const reps = repsOverride ?? w.reps ?? 20;
  const inst = await w.setup();
  try {
    for (let i = 0; i < warmup; i++) await inst.call();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < reps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await inst.call();
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const after = tf.memory().numTensors;
    if (after > before) throw new Error(`${w.id}: tf.memory().numTensors grew from ${before} to ${after} over ${reps} calls (a leak)`);
    return { median: median(times), min: Math.min(...times), cpu: median(cpu), sanity: inst.sanity?.(reps) ?? {} };
  } finally {
    inst.dispose?.();
  }
}

function torchAvailable(): boolean {
  return existsSync(join(torchDir, 'torch_reference.py')) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function runTorch(ids: string[], threads: string, reps?: number): TorchRun[] {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'torch.json');
  const args = ['torch_reference.py', '--threads', threads, '--only', ids.join(','), '--json', out];
  if (reps) args.push('--reps', String(reps));
  const p = spawnSync(python, args, { cwd: torchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (p.status !== 0) throw new Error(`torch_reference.py failed (exit ${p.status})`);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  return Array.isArray(j) ? j : [j];
}

const fmt = (t?: { median: number; min: number }) => (t ? `${t.median.toFixed(2)} (${t.min.toFixed(2)})` : '—');
const ratio = (torch?: { median: number; min: number }, ours?: { median: number; min: number }) =>
  torch && ours ? `${(torch.median / ours.median).toFixed(2)} (${(torch.min / ours.min).toFixed(2)})` : '—';
const sanityText = (s: Record<string, number | boolean>) =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? Number(v) : v}`)
    .join(' ');

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .description('Times our workloads and the PyTorch reference in the same run; prints PyTorch/ours ratios.')
    .option('--only <ids>', 'comma list of workload ids (ours, e.g. W2-fused, or the reference id, e.g. W2)', '')
    .option('--reps <n>', 'timed calls per workload (default: the workload\'s, 20)', (v) => parseInt(v, 10))
    .option('--warmup <n>', 'untimed calls before timing (default: the workload\'s, 5)', (v) => parseInt(v, 10))
    .option('--rounds <k>', 'alternate ours and PyTorch k times', (v) => parseInt(v, 10), 1)
    .option('--torch-threads <list>', 'PyTorch thread counts', '1,2')
    .option('--no-torch', 'do not run PyTorch')
    .option('--json <file>', 'also write the results as JSON');
  const o = program.parse(process.argv).opts<{ only: string; reps?: number; warmup?: number; rounds: number; torchThreads: string; torch: boolean; json?: string }>();
  for (const [name, v] of [['--reps', o.reps], ['--warmup', o.warmup], ['--rounds', o.rounds]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= (name === '--warmup' ? 0 : 1))) program.error(`${name}: expected a positive integer, got ${v}`);
  }
  const startLoad = loadavg().map((v) => v.toFixed(2)).join(' ');
  const backend = await ready();
  const workloads = await loadWorkloads(o.only.split(',').filter(Boolean));
  const refIds = [...new Set(workloads.map((w) => w.reference ?? w.id))];
  const torchOk = o.torch && torchAvailable();
  if (o.torch && !torchOk) console.log(`PyTorch is unavailable (${python} -c "import torch" failed or ${torchDir} is missing): showing ours only.`);
  const threadCounts = o.torchThreads.split(',').map(Number);

  const ours = new Map<string, Timing[]>();
  const failed = new Map<string, string>();
  const torch = new Map<string, Map<number, Timing[]>>();
  for (let r = 0; r < o.rounds; r++) {
    for (const w of workloads) {
      let t: Timing;
      try {
        t = await timeOurs(w, o.reps, o.warmup);
      } catch (e) {
        // one failing workload (or a leak) is reported in its row; the others still run
        failed.set(w.id, e instanceof Error ? e.message : String(e));
        console.log(`ours  ${w.id.padEnd(12)} FAILED: ${failed.get(w.id)}`);
        continue;
      }
      ours.set(w.id, [...(ours.get(w.id) ?? []), t]);
      console.log(`ours  ${w.id.padEnd(12)} median ${t.median.toFixed(3)} ms  min ${t.min.toFixed(3)} ms  (CPU ${t.cpu!.toFixed(3)} ms)  ${sanityText(t.sanity)}`);
    }
    if (!torchOk) continue;
    for (const run of runTorch(refIds, o.torchThreads, o.reps)) {
      for (const [id, v] of Object.entries(run.workloads)) {
        const byThreads = torch.get(id) ?? new Map<number, Timing[]>();
        byThreads.set(run.threads, [...(byThreads.get(run.threads) ?? []), { median: v.median_ms, min: v.min_ms, sanity: v.check as Record<string, number> }]);
        console.log(`torch ${`${id} ${run.threads}T`.padEnd(12)} median ${v.median_ms.toFixed(3)} ms  min ${v.min_ms.toFixed(3)} ms  ${sanityText(v.check)}`);
        torch.set(id, byThreads);
      }
    }
  }
  const combine = (ts?: Timing[]): Timing | undefined =>
    ts && ts.length
      ? { median: median(ts.map((t) => t.median)), min: Math.min(...ts.map((t) => t.min)), cpu: ts[0].cpu === undefined ? undefined : median(ts.map((t) => t.cpu!)), sanity: ts[ts.length - 1].sanity }
      : undefined;

  const head = ['workload', 'what', 'threads', 'ours median (min) ms', 'ours CPU ms', 'PyTorch median (min) ms, same threads', 'ratio PyTorch / ours', 'ours sanity', 'PyTorch sanity'];
  const rows = workloads.map((w) => {
    const mine = combine(ours.get(w.id));
    const ref = w.reference ?? w.id;
    const threads = w.threads ?? 1;
    const theirs = combine(torch.get(ref)?.get(threads));
    return [
      w.reference ? `${w.id} (vs ${ref})` : w.id,
      w.title,
      String(threads),
      failed.has(w.id) ? `FAILED: ${failed.get(w.id)}` : fmt(mine),
      mine?.cpu === undefined ? '—' : mine.cpu.toFixed(2),
      fmt(theirs),
      ratio(theirs, mine),
      sanityText(mine?.sanity ?? {}),
      sanityText(theirs?.sanity ?? {}),
    ];
  });
  // PyTorch at the thread counts no row of ours uses, for reference
  const extra = refIds.flatMap((id) =>
    threadCounts
      .filter((c) => !workloads.some((w) => (w.reference ?? w.id) === id && (w.threads ?? 1) === c))
      .map((c) => [id, `PyTorch only (${c} threads)`, String(c), '—', '—', fmt(combine(torch.get(id)?.get(c))), '—', '', sanityText(combine(torch.get(id)?.get(c))?.sanity ?? {})]),
  );
  if (torchOk) rows.push(...extra);
  const cpu = cpus()[0]?.model ?? '?';
  const stamp = new Date().toISOString().replace(/\..*/, '');
  const table = [
    `Benchmark ${stamp}: ours on TensorFlow.js backend "${backend}" (Node ${process.version}); PyTorch ${torchOk ? `threads ${o.torchThreads}` : 'not run'}; CPU ${cpu}, ${cpus().length} cores.`,
    `Command: npm run bench -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
    `Times: median (min) over ${o.rounds > 1 ? `${o.rounds} alternating rounds (median of medians, min of mins)` : 'the timed calls'}; ratio = PyTorch / ours (> 1: ours faster), for the medians (the mins).`,
    `"ours CPU": median process CPU time per call (all threads); far below the wall time means the machine was busy with other work.`,
    `Load average at the start / end: ${startLoad} / ${loadavg().map((v) => v.toFixed(2)).join(' ')}.`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  console.log(`\n${table}`);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `bench-${stamp.replace(/:/g, '')}.md`), `${table}\n`);
  const data = { stamp, backend, cpu, rounds: o.rounds, ours: Object.fromEntries(ours), failed: Object.fromEntries(failed), torch: Object.fromEntries([...torch].map(([k, v]) => [k, Object.fromEntries(v)])) };
  if (o.json) writeFileSync(o.json, JSON.stringify(data, null, 1));
  if (failed.size) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
