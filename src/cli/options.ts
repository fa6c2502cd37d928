/**
 * Parsing and checking of the options the CLI's subcommands share: counts, step sizes, the
 * target (built-in name or file) and initial positions. Every failure is an ArgumentError naming
 * the option, which `main` prints on one line with exit code 2.
 *
 * @module
 */
import type { Command } from 'commander';
import { ArgumentError } from '../core/errors.js';
import { normal, uniform, type Key } from '../core/random.js';
import { loadTargetFile } from '../targets/load.js';
import { makeTarget, targetNames } from '../targets/registry.js';
import type { Target } from '../targets/target.js';

/** A parser for an integer option ≥ `min` (1 unless given). */
export function intOption(name: string, min = 1): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isSafeInteger(x) || x < min) throw new ArgumentError(name, `an integer >= ${min}`, v);
    return x;
  };
}

/** A parser for a finite number option > 0. */
export function positiveOption(name: string): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === '' || !(Number.isFinite(x) && x > 0)) throw new ArgumentError(name, 'a finite number > 0', v);
    return x;
  };
}

/** A parser for an option that must be one of `choices`. */
export function choiceOption(name: string, choices: readonly string[]): (v: string) => string {
  return (v) => {
    if (!choices.includes(v)) throw new ArgumentError(name, `one of ${choices.join(', ')}`, v);
    return v;
  };
}

/** The options every sampling subcommand takes. */
export interface CommonOptions {
  target: string;
  targetOptions?: Record<string, unknown>;
  seed: number;
  json?: boolean;
  progress: boolean;
}

/** Adds --target, --target-options, --seed, --json and --no-progress to a subcommand. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--target <name|file.js>', `a built-in target (${targetNames().join(', ')}) or a .js/.mjs file whose default export is a Target or { dim, logDensity }`)
    .option('--target-options <json>', 'options of a built-in target as JSON, e.g. \'{"dim": 20}\'', jsonObjectOption('--target-options'))
    .option('--seed <n>', 'random seed', intOption('--seed', 0), 0)
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--no-progress', 'no progress bar on stderr');
}

function jsonObjectOption(name: string): (v: string) => Record<string, unknown> {
  return (v) => {
    let o: unknown;
    try {
      o = JSON.parse(v);
    } catch {
      throw new ArgumentError(name, 'a JSON object', v);
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new ArgumentError(name, 'a JSON object', v);
    return o as Record<string, unknown>;
  };
}

/**
 * A built-in target by name, or a user target from a .js/.mjs/.cjs file path (validated by
 * `loadTargetFile`). Errors name `--target` (or `--target-options` for bad options).
 */
export async function resolveTarget(spec: string, options?: Record<string, unknown>): Promise<Target> {
  if (/[/\\]|\.[cm]?js$/.test(spec)) {
    if (options) throw new ArgumentError('--target-options', 'no options with a target file', JSON.stringify(options));
    return loadTargetFile(spec, '--target');
  }
  if (!targetNames().includes(spec)) {
    throw new ArgumentError('--target', `one of ${targetNames().join(', ')}, or a path to a .js/.mjs file exporting a Target`, spec);
  }
  try {
    return makeTarget(spec, options);
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError('--target-options', `valid options for ${spec} (${e.message})`);
    throw e;
  }
}

/**
 * Initial positions for n chains in R^d from `normal:SCALE` (N(0, SCALE² I)) or
 * `uniform:LO,HI` (U(LO, HI)^d).
 */
export function initialPositions(k: Key, spec: string, n: number, d: number): Float32Array {
  const [kind, args = '', ...extra] = spec.split(':');
  const nums = args.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (extra.length === 0 && kind === 'normal' && nums.length === 1 && Number.isFinite(nums[0]) && nums[0] > 0) {
    const x = normal(k, n * d);
    for (let i = 0; i < x.length; i++) x[i] *= nums[0];
    return x;
  }
  if (extra.length === 0 && kind === 'uniform' && nums.length === 2 && nums.every(Number.isFinite) && nums[1] > nums[0]) {
    return uniform(k, n * d, nums[0], nums[1]);
  }
  throw new ArgumentError('--init', '"normal:SCALE" with SCALE > 0 or "uniform:LO,HI" with LO < HI', spec);
}
