/**
 * Ready-made flow architectures: RealNVP (alternating affine couplings; Dinh et al. 2017), a
 * neural spline flow (alternating rational-quadratic spline couplings; Durkan et al. 2019, the
 * flowMC default) and a masked autoregressive flow (MAF layers with order reversals between
 * them; Papamakarios et al. 2017). Each may end with a fixed output scale x ↦ c·x, as in
 * WORKLOADS.md's W3 (a flow on N(0, I) mapped to a target's box).
 *
 * @module
 */
import { checkPositive, checkPositiveInt } from '../core/errors.js';
import { split, type Key } from '../core/random.js';
import type { Bijector } from './bijector.js';
import { affineCoupling, alternatingMask, type CouplingOptions } from './coupling.js';
import { elementwiseAffine } from './elementwise.js';
import { Flow, type FlowOptions } from './flow.js';
import { maf, type AutoregressiveOptions } from './autoregressive.js';
import { permutation } from './elementwise.js';
import { splineCoupling, type SplineOptions } from './spline.js';

/** Options shared by the builders. */
export interface ArchitectureOptions extends FlowOptions {
  /** Number of coupling / autoregressive layers (default 8). */
  layers?: number;
  /** A fixed (untrained) scale c of the output, x ↦ c·x, log |det| = d log c (default none). */
  outputScale?: number;
}

function build(key: Key, dim: number, opts: ArchitectureOptions, layer: (k: Key, i: number) => Bijector[]): Flow {
  checkPositiveInt('dim', dim);
  const layers = opts.layers ?? 8;
  checkPositiveInt('layers', layers);
  const keys = split(key, layers);
  const bijectors = keys.flatMap((k, i) => layer(k, i));
  if (opts.outputScale !== undefined) {
    checkPositive('outputScale', opts.outputScale);
    bijectors.push(elementwiseAffine(dim, { scale: opts.outputScale, trainable: false, name: 'outputScale' }));
  }
  return new Flow(bijectors, opts);
}

/** RealNVP: `layers` affine couplings, layer i keeping the coordinates j ≡ i (mod 2). */
export function realNVP(key: Key, dim: number, opts: ArchitectureOptions & CouplingOptions = {}): Flow {
  return build(key, dim, opts, (k, i) => [affineCoupling(k, dim, alternatingMask(dim, i), { ...opts, name: `${opts.name ?? 'realNVP'}.${i}` })]);
}

/** A neural spline flow: `layers` rational-quadratic spline couplings with alternating masks. */
export function neuralSplineFlow(key: Key, dim: number, opts: ArchitectureOptions & SplineOptions = {}): Flow {
  return build(key, dim, opts, (k, i) => [splineCoupling(k, dim, alternatingMask(dim, i), { ...opts, name: `${opts.name ?? 'nsf'}.${i}` })]);
}

/** A masked autoregressive flow: `layers` MAF layers with the coordinate order reversed between them. */
export function mafFlow(key: Key, dim: number, opts: ArchitectureOptions & AutoregressiveOptions = {}): Flow {
  const layers = opts.layers ?? 8;
  return build(key, dim, opts, (k, i) => [maf(k, dim, { ...opts, name: `${opts.name ?? 'maf'}.${i}` }), ...(i < layers - 1 ? [permutation(dim, 'reverse')] : [])]);
}
