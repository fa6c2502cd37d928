#!/usr/bin/env node
/**
 * The `transportlab` command. Each subcommand lives in its own module and registers itself
 * on the program; every error a user can cause (an ArgumentError or a bad option) is printed
 * on one line and exits with code 2, never as a stack trace.
 *
 * @module
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { ArgumentError } from '../core/errors.js';
import { registerFrontend } from './frontend.js';
import { registerInfo } from './info.js';
import { registerJupyter } from './jupyter.js';
import { registerLogz } from './logz.js';
import { registerSample } from './sample.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Builds the program with all subcommands (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('transportlab')
    .description('Transport-based generative modelling and sampling')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerInfo(program);
  registerSample(program);
  registerLogz(program);
  registerJupyter(program);
  registerFrontend(program);
  return program;
}

/** Runs the CLI on `argv`; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed it
    if (e instanceof ArgumentError || (e as Error)?.name === 'ArgumentError') {
      process.stderr.write(`transportlab: ${(e as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`transportlab: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.TRANSPORTLAB_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return 1;
  }
}

main(process.argv).then((code) => process.exit(code));
