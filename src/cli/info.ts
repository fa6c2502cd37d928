/**
 * `transportlab info`: the tensor backend in use, the versions behind it, and the built-in
 * targets and samplers.
 * @module
 */
import type { Command } from 'commander';
import { backendInfo } from '../core/backend.js';
import { kernelNames } from '../mcmc/kernels.js';
import { describeTargets } from '../targets/registry.js';

/** Registers `info` on the program. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print the tensor backend in use and package versions')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const info = { ...(await backendInfo()), targets: describeTargets(), samplers: kernelNames() };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      process.stdout.write(`backend: ${info.backend}\n`);
      for (const [k, v] of Object.entries(info.versions)) process.stdout.write(`${k}: ${v}\n`);
      process.stdout.write('targets:\n');
      for (const [name, what] of Object.entries(info.targets)) process.stdout.write(`  ${name.padEnd(22)}${what}\n`);
      process.stdout.write(`samplers: ${info.samplers.join(', ')}\n`);
    });
}
