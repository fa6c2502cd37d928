/**
 * `transportlab sample`: runs a batch of MCMC chains on a target (warm-up with step-size and
 * mass adaptation, then sampling), writes the trace as CSV and prints a summary: per dimension
 * mean, sd, bulk and tail ESS, R̂ and MCSE (ArviZ's columns); acceptance rate, step size,
 * divergences and wall time. Ctrl+C stops the run and reports what was sampled.
 *
 * @module
 */
import type { Command } from 'commander';
import { ready } from '../core/backend.js';
import { key, split } from '../core/random.js';
import { summary, type SummaryRow } from '../diagnostics/summary.js';
import { KERNELS, kernelNames, type KernelName } from '../mcmc/kernels.js';
import { run, type RunResult } from '../mcmc/run.js';
import { writeTraceCSV } from './csv.js';
import { choiceOption, initialPositions, intOption, positiveOption, resolveTarget, withCommonOptions, type CommonOptions } from './options.js';

interface SampleOptions extends CommonOptions {
  sampler: KernelName;
  chains: number;
  steps: number;
  warmup: number;
  stepSize: number;
  leapfrogSteps: number;
  thin: number;
  init: string;
  out?: string;
}

/** The machine-readable result of `sample --json`. */
export interface SampleReport {
  target: string;
  sampler: string;
  dim: number;
  chains: number;
  warmup: number;
  steps: number;
  thin: number;
  /** Draws recorded per chain. */
  draws: number;
  seed: number;
  aborted: boolean;
  stepSize: number;
  acceptanceRate: number;
  divergences: number;
  wallTimeSeconds: number;
  /** Per-dimension summary (empty when fewer than 4 draws were recorded). */
  dimensions: SummaryRow[];
}

/** Registers `sample` on the program. */
export function registerSample(program: Command): void {
  withCommonOptions(program.command('sample').description('sample a target with a batch of MCMC chains'))
    .option('--sampler <name>', `the MCMC kernel: ${kernelNames().join(', ')}`, choiceOption('--sampler', kernelNames()), 'mala')
    .option('--chains <n>', 'number of chains run in parallel', intOption('--chains'), 1024)
    .option('--steps <n>', 'sampling steps per chain', intOption('--steps'), 1000)
    .option('--warmup <n>', 'warm-up steps (step size and diagonal mass adapted, except for ula)', intOption('--warmup', 0), 500)
    .option('--step-size <eps>', 'initial step size', positiveOption('--step-size'), 0.1)
    .option('--leapfrog-steps <n>', 'leapfrog steps per HMC proposal', intOption('--leapfrog-steps'), 10)
    .option('--thin <k>', 'record every k-th sampling step', intOption('--thin'), 1)
    .option('--init <spec>', 'initial positions: normal:SCALE or uniform:LO,HI', 'normal:1')
    .option('--out <file.csv>', 'write the trace (chain, step, x0.., logDensity, accepted) as CSV')
    .action(async (opts: SampleOptions) => {
      const target = await resolveTarget(opts.target, opts.targetOptions);
      await ready();
      const [kInit, kRun] = split(key(opts.seed));
      const x0 = initialPositions(kInit, opts.init, opts.chains, target.dim);
      const kernel = KERNELS[opts.sampler](target);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      let result: RunResult;
      try {
        result = await run(kRun, kernel, x0, opts.chains, {
          steps: opts.steps,
          warmup: opts.warmup,
          stepSize: opts.stepSize,
          thin: opts.thin,
          leapfrogSteps: opts.leapfrogSteps,
          signal: controller.signal,
          progress: opts.progress ? 'auto' : false,
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
      if (opts.out) await writeTraceCSV(opts.out, result.trace);
      const report = makeReport(opts, target.name, target.dim, kernel.name, result);
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatReport(report, opts.out));
    });
}

function makeReport(opts: SampleOptions, target: string, dim: number, sampler: string, r: RunResult): SampleReport {
  const draws = r.trace.length;
  return {
    target,
    sampler,
    dim,
    chains: opts.chains,
    warmup: opts.warmup,
    steps: opts.steps,
    thin: opts.thin,
    draws,
    seed: opts.seed,
    aborted: r.aborted,
    stepSize: r.stepSize,
    acceptanceRate: r.acceptance,
    divergences: r.divergences,
    wallTimeSeconds: r.wallTime / 1000,
    dimensions: draws >= 4 ? summary(r.trace.dims.map((j) => r.trace.chains(j)), r.trace.dims.map((j) => `x${j}`)) : [],
  };
}

/** The human-readable report: one line of run facts, then a table of the first 10 dimensions. */
function formatReport(r: SampleReport, out?: string): string {
  const lines = [
    `${r.sampler} on ${r.target} (d = ${r.dim}): ${r.chains} chains x ${r.draws} draws${r.aborted ? ' (interrupted)' : ''}, ` +
      `acceptance ${r.acceptanceRate.toFixed(3)}, step size ${r.stepSize.toPrecision(3)}, ${r.divergences} divergences, ${r.wallTimeSeconds.toFixed(2)} s`,
  ];
  const show = r.dimensions.slice(0, 10);
  if (show.length) {
    lines.push('dim         mean          sd   ess_bulk   ess_tail    r_hat');
    for (const s of show) {
      lines.push(
        `${s.name.padEnd(4)} ${s.mean.toFixed(4).padStart(11)} ${s.sd.toFixed(4).padStart(11)} ${s.essBulk.toFixed(0).padStart(10)} ` +
          `${s.essTail.toFixed(0).padStart(10)} ${s.rhat.toFixed(4).padStart(8)}`,
      );
    }
    if (r.dimensions.length > show.length) lines.push(`... ${r.dimensions.length - show.length} more dimensions (use --json)`);
  }
  if (out) lines.push(`trace written to ${out}`);
  return `${lines.join('\n')}\n`;
}
