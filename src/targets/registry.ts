/**
 * The built-in targets by name, for the CLI (`--target NAME`), notebooks and benchmarks:
 * `makeTarget('funnel', { dim: 20 })`. Each entry has default options that callers may
 * override; unknown names and unknown options are ArgumentErrors listing what exists.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { loadBreastCancer } from '../data/breastCancer.js';
import { banana, type BananaOptions } from './banana.js';
import { funnel, type FunnelOptions } from './funnel.js';
import { gaussian, illConditionedGaussian, type GaussianOptions, type IllConditionedOptions } from './gaussian.js';
import { gaussianMixture, gmm40 } from './gmm40.js';
import { logisticRegression } from './logistic.js';
import { phi4, type Phi4Options } from './phi4.js';
import { studentTMixture, type StudentTMixtureOptions } from './studentt.js';
import type { Target } from './target.js';
import { checkerboard, eightGaussiansMeans, type EightGaussiansOptions } from './toy2d.js';

interface Entry {
  /** One line for listings. */
  description: string;
  /** The option names `make` understands. */
  options: string[];
  make(opts: Record<string, unknown>): Target;
}

const REGISTRY: Record<string, Entry> = {
  gaussian: {
    description: 'N(mean, cov); default the standard normal in 2-D',
    options: ['dim', 'mean', 'cov'],
    make: (o) => gaussian({ dim: 2, ...o } as GaussianOptions),
  },
  'illcond-gaussian': {
    description: 'zero-mean Gaussian, covariance eigenvalues log-spaced in [1, condition], random rotation; default d = 10, condition = 100',
    options: ['dim', 'condition', 'key'],
    make: (o) => illConditionedGaussian({ dim: 10, condition: 100, ...o } as IllConditionedOptions),
  },
  gmm40: {
    description: 'the 40-mode 2-D Gaussian mixture of FAB / NETS',
    options: [],
    make: () => gmm40(),
  },
  funnel: {
    description: "Neal's funnel; default d = 10, scale = 3",
    options: ['dim', 'scale'],
    make: (o) => funnel({ dim: 10, scale: 3, ...o } as FunnelOptions),
  },
  'student-t-mixture': {
    description: 'mixture of Student-t; default 4 modes at (±4, ±4), df = 5, scale = 1',
    options: ['locs', 'df', 'scale', 'weights'],
    make: (o) =>
      studentTMixture({ locs: [[-4, -4], [-4, 4], [4, -4], [4, 4]], df: 5, scale: 1, ...o } as StudentTMixtureOptions),
  },
  banana: {
    description: 'twisted Gaussian of Haario et al.; default d = 2, b = 0.1, sigma = 10',
    options: ['b', 'dim', 'sigma'],
    make: (o) => banana(o as BananaOptions),
  },
  phi4: {
    description: 'phi^4 lattice field theory on an L x L periodic lattice; default L = 16, m2 = -4, lambda = 8',
    options: ['L', 'm2', 'lambda'],
    make: (o) => phi4(o as Phi4Options),
  },
  'logreg-breast-cancer': {
    description: 'Bayesian logistic regression on the breast-cancer data (d = 31), prior N(0, priorScale^2 I)',
    options: ['priorScale'],
    make: (o) => logisticRegression({ ...loadBreastCancer(), priorScale: (o.priorScale as number | undefined) ?? 1 }),
  },
  checkerboard: {
    description: 'uniform on the 8 squares of a 2-D checkerboard on [-4, 4]^2',
    options: [],
    make: () => checkerboard(),
  },
  'eight-gaussians': {
    description: 'eight Gaussians on a circle (FFJORD); default radius 2*sqrt(2), std 1/(2*sqrt(2))',
    options: ['radius', 'std'],
    make: (o: EightGaussiansOptions) => gaussianMixture({ means: eightGaussiansMeans(o), scale: o.std ?? 1 / (2 * Math.SQRT2) }),
  },
};

/** The names of the built-in targets. */
export function targetNames(): string[] {
  return Object.keys(REGISTRY);
}

/** One-line descriptions of the built-in targets, by name. */
export function describeTargets(): Record<string, string> {
  return Object.fromEntries(Object.entries(REGISTRY).map(([k, e]) => [k, e.description]));
}

/**
 * A built-in target by name, with `opts` overriding its defaults; the returned target's
 * `name` is the registry name.
 * @throws ArgumentError('name') for an unknown name (listing the names), ArgumentError('opts')
 *   for an option the target does not take (listing those it takes), and the target's own
 *   errors for bad option values.
 */
export function makeTarget(name: string, opts: Record<string, unknown> = {}): Target {
  const entry = Object.hasOwn(REGISTRY, name) ? REGISTRY[name] : undefined;
  if (!entry) throw new ArgumentError('name', `a target name, one of ${targetNames().join(', ')}`, name);
  for (const k of Object.keys(opts)) {
    if (!entry.options.includes(k)) {
      throw new ArgumentError('opts', `options of ${name}: ${entry.options.length ? entry.options.join(', ') : 'none'}`, k);
    }
  }
  return { ...entry.make(opts), name };
}
