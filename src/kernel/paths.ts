/**
 * Where the package lives, for the kernel's module resolution and the kernelspec.
 * @module
 */
import { fileURLToPath } from 'node:url';

/** The package root (two levels above this module, both in src/ and in dist/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
