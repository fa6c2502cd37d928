/**
 * `transportlab logz`: estimates log Z = log ∫ π of a target by importance sampling (`is`),
 * annealed importance sampling (`ais`) or adaptive SMC (`smc`) from a Gaussian base
 * N(0, s² I), and prints the estimate with its standard error, next to the exact log Z when the
 * target knows it.
 *
 * @module
 */
import type { Command } from 'commander';
import { ready } from '../core/backend.js';
import { key } from '../core/random.js';
import { kernelNames, type KernelName } from '../mcmc/kernels.js';
import { ais } from '../smc/ais.js';
import { importanceSampling } from '../smc/importance.js';
import { gaussianProposal } from '../smc/proposal.js';
import { smc } from '../smc/smc.js';
import { choiceOption, intOption, positiveOption, resolveTarget, withCommonOptions, type CommonOptions } from './options.js';

const METHODS = ['smc', 'ais', 'is'] as const;
type Method = (typeof METHODS)[number];

interface LogzOptions extends CommonOptions {
  method: Method;
  particles: number;
  baseScale: number;
  sampler: KernelName;
  temperatures: number;
  mcmcSteps?: number;
  stepSize?: number;
}

/** The machine-readable result of `logz --json`. */
export interface LogzReport {
  target: string;
  method: Method;
  dim: number;
  particles: number;
  seed: number;
  logZ: number;
  logZStdErr: number;
  /** The exact log Z when the target knows it, else null. */
  exactLogZ: number | null;
  /** Effective sample size of the final weights (Kish). */
  ess: number;
  aborted: boolean;
  wallTimeSeconds: number;
}

/** Registers `logz` on the program. */
export function registerLogz(program: Command): void {
  withCommonOptions(program.command('logz').description('estimate the log normalising constant of a target'))
    .option('--method <m>', `the estimator: ${METHODS.join(', ')}`, choiceOption('--method', METHODS), 'smc')
    .option('--particles <n>', 'number of particles (at least 2)', intOption('--particles', 2), 1024)
    .option('--base-scale <s>', 'standard deviation s of the Gaussian base / proposal N(0, s² I)', positiveOption('--base-scale'), 1)
    .option('--sampler <name>', `MCMC kernel of the ais/smc moves: ${kernelNames().join(', ')}`, choiceOption('--sampler', kernelNames()), 'mala')
    .option('--temperatures <k>', 'ais: number of annealing steps (linear schedule)', intOption('--temperatures'), 100)
    .option('--mcmc-steps <n>', 'ais/smc: MCMC moves per temperature (default: ais 1, smc 5)', intOption('--mcmc-steps', 0))
    .option('--step-size <eps>', 'ais/smc: step size of the moves (ais default 0.1; smc: initial, tuned per stage, default 0.5)', positiveOption('--step-size'))
    .action(async (opts: LogzOptions) => {
      const target = await resolveTarget(opts.target, opts.targetOptions);
      await ready();
      const base = gaussianProposal(new Float64Array(target.dim), opts.baseScale);
      const k = key(opts.seed);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const loop = { signal: controller.signal, progress: opts.progress ? ('auto' as const) : false };
      const t0 = performance.now();
      let est: { logZ: number; stderr: number; ess: number; aborted: boolean };
      try {
        if (opts.method === 'is') {
          const r = importanceSampling(k, target, base, opts.particles);
          est = { logZ: r.logZ, stderr: r.stderr, ess: r.ess, aborted: false };
        } else if (opts.method === 'ais') {
          const r = await ais(k, {
            target,
            base,
            n: opts.particles,
            steps: opts.temperatures,
            kernel: opts.sampler,
            mcmcSteps: opts.mcmcSteps,
            stepSize: opts.stepSize ?? 0.1,
            ...loop,
          });
          est = { logZ: r.logZ, stderr: r.stderr, ess: r.ess, aborted: r.aborted };
        } else {
          const r = await smc(k, { target, base, n: opts.particles, kernel: opts.sampler, mcmcSteps: opts.mcmcSteps, stepSize: opts.stepSize, ...loop });
          est = { logZ: r.logZ, stderr: r.stderr, ess: r.ess[r.ess.length - 1] ?? NaN, aborted: r.aborted };
        }
      } finally {
        process.off('SIGINT', onSigint);
      }
      const report: LogzReport = {
        target: target.name,
        method: opts.method,
        dim: target.dim,
        particles: opts.particles,
        seed: opts.seed,
        logZ: est.logZ,
        logZStdErr: est.stderr,
        exactLogZ: target.logZ ?? null,
        ess: est.ess,
        aborted: est.aborted,
        wallTimeSeconds: (performance.now() - t0) / 1000,
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const exact = report.exactLogZ === null ? '' : ` (exact ${report.exactLogZ.toFixed(4)}, error ${(report.logZ - report.exactLogZ).toFixed(4)})`;
      process.stdout.write(
        `${report.method} on ${report.target} (d = ${report.dim}, ${report.particles} particles): log Z = ${report.logZ.toFixed(4)} ± ${report.logZStdErr.toFixed(4)}${exact}, ` +
          `ESS ${report.ess.toFixed(1)}, ${report.wallTimeSeconds.toFixed(2)} s${report.aborted ? ' (interrupted)' : ''}\n`,
      );
    });
}
