/**
 * What the notebook-server commands share (`start`: Debian's classic notebook server, `lab`: the
 * bundled front-end on jupyter_server): their `--port`/`--dir` options, a free port, a fresh
 * token, the `transportlab` kernelspec installed into `build/jupyter` and found through
 * JUPYTER_PATH, and stopping the server on Ctrl+C / SIGTERM.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { ArgumentError } from '../core/errors.js';
import { installKernelspec, installLabextension } from '../kernel/kernelspec.js';
import { PACKAGE_ROOT } from '../kernel/paths.js';

/** The Python running the Jupyter servers and tools (Debian's, where the Jupyter packages live). */
export const PYTHON = '/usr/bin/python3';

/** The `--port` and `--dir` options of a server command, as commander passes them. */
export interface ServerCommandOptions {
  port: string;
  dir: string;
}

/** Adds `--port` (default 8888, a free one if busy) and `--dir` (default the notebooks folder) to a server command. */
export function withServerOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'port (a free one is taken if busy)', '8888')
    .option('--dir <dir>', 'notebook directory', join(PACKAGE_ROOT, 'notebooks'));
}

/** The port number of a `--port` value; ArgumentError unless an integer in 0..65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError('--port', 'a port number 0..65535', value);
  return port;
}

/** A free TCP port on 127.0.0.1 (`preferred` if it is free; 0: any). */
export function freePort(preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((ok, fail) => {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen(port, '127.0.0.1', () => {
        const { port: got } = srv.address() as { port: number };
        srv.close(() => ok(got));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}

/** A fresh server token: 24 random bytes in hex. */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/**
 * Installs the `transportlab` kernelspec and, when built, the widget labextension into
 * `build/jupyter` and returns the JUPYTER_PATH that finds them (that prefix's `share/jupyter`
 * before the caller's JUPYTER_PATH).
 */
export function kernelspecJupyterPath(): string {
  const prefix = join(PACKAGE_ROOT, 'build', 'jupyter');
  installKernelspec({ prefix });
  installLabextension({ prefix });
  return [join(prefix, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter);
}

/** Calls `stop` once on the first SIGINT (Ctrl+C) and once on the first SIGTERM. */
export function stopOnSignals(stop: () => void): void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
