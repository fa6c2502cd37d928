/**
 * The registry of MCMC kernels by name, for drivers, notebooks and the CLI that pick a kernel
 * from a string.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { Target } from '../targets/target.js';
import { hmc } from './hmc.js';
import type { Kernel } from './kernel.js';
import { mala } from './mala.js';
import { rwmh } from './rwmh.js';
import { ula } from './ula.js';

/** The names of the built-in kernels. */
export type KernelName = 'rwmh' | 'mala' | 'ula' | 'hmc';

/** The built-in kernels by name: each builds the kernel for a target. */
export const KERNELS: Readonly<Record<KernelName, (target: Target) => Kernel>> = Object.freeze({ rwmh, mala, ula, hmc });

/** The names of the built-in kernels, in registry order. */
export function kernelNames(): KernelName[] {
  return Object.keys(KERNELS) as KernelName[];
}

/** The built-in kernel `name` for `target`; an unknown name is an `ArgumentError` listing the known ones. */
export function kernelByName(name: string, target: Target): Kernel {
  if (!Object.hasOwn(KERNELS, name)) throw new ArgumentError('kernel', `one of ${kernelNames().join(', ')}`, name);
  return KERNELS[name as KernelName](target);
}
