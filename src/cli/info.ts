/**
 * `transportlab info`: the tensor backend in use and the versions behind it.
 * @module
 */
import type { Command } from 'commander';
import { backendInfo } from '../core/backend.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print the tensor backend in use and package versions')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const info = await backendInfo();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      process.stdout.write(`backend: ${info.backend}\n`);
      for (const [k, v] of Object.entries(info.versions)) process.stdout.write(`${k}: ${v}\n`);
    });
}
