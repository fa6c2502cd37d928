/**
 * Jupyter subcommands of `transportlab`:
 * - `kernel --connection-file F`: runs the kernel (started by Jupyter through the kernelspec);
 * - `install [--user|--sys-prefix|--prefix P]` / `uninstall [...]`: the `transportlab` kernelspec,
 *   the prebuilt JupyterLab extension of the widget views (`labextensions/transportlab-widgets`) and
 *   their AMD bundle for RequireJS widget managers such as VS Code's (`nbextensions/transportlab-widgets`);
 * - `start [--port N] [--dir D]`: installs the kernelspec into `build/jupyter`, starts Debian's
 *   classic notebook server on 127.0.0.1 with the notebooks folder and a fresh token, and prints
 *   the URL with the token. Stops the server on Ctrl+C.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  installKernelspec, installLabextension, installNbextension, LABEXTENSION_SOURCE, NBEXTENSION_SOURCE, uninstallKernelspec, uninstallLabextension, uninstallNbextension, type InstallScope,
} from '../kernel/kernelspec.js';
import { freePort, kernelspecJupyterPath, newToken, parsePort, PYTHON, stopOnSignals, withServerOptions, type ServerCommandOptions } from './server.js';

interface ScopeOptions {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
}

function scopeOf(o: ScopeOptions): InstallScope {
  return { user: o.user, sysPrefix: o.sysPrefix, prefix: o.prefix === undefined ? undefined : resolve(o.prefix) };
}

function withScopeOptions(cmd: Command): Command {
  return cmd
    .option('--user', 'the per-user kernels directory (default)')
    .option('--sys-prefix', "the active Python environment ($CONDA_PREFIX, $VIRTUAL_ENV, else /usr/bin/python3's sys.prefix)")
    .option('--prefix <dir>', 'the kernels directory <dir>/share/jupyter/kernels');
}

/** Starts the notebook server; resolves with its exit code. */
async function startServer(opts: ServerCommandOptions): Promise<number> {
  const port = parsePort(opts.port);
  const jupyterPath = kernelspecJupyterPath();
  const chosen = await freePort(port);
  const token = newToken();
  const args = [
    '-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${chosen}`, '--NotebookApp.port_retries=0',
    `--NotebookApp.token=${token}`, `--notebook-dir=${resolve(opts.dir)}`, '--MappingKernelManager.default_kernel_name=transportlab',
  ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const child = spawn(PYTHON, args, { env: { ...process.env, JUPYTER_PATH: jupyterPath }, stdio: ['ignore', 'inherit', 'pipe'] });
  const url = `http://127.0.0.1:${chosen}/?token=${token}`;
  let announced = false;
  child.stderr.on('data', (d: Buffer) => {
    process.stderr.write(d);
    if (!announced && d.toString().includes(`127.0.0.1:${chosen}`)) {
      announced = true;
      process.stdout.write(`\ntransportlab notebooks: ${url}\n\n`);
    }
  });
  stopOnSignals(() => child.kill('SIGTERM'));
  return new Promise((ok, fail) => {
    child.once('error', (e) => fail(new Error(`cannot start ${PYTHON} -m notebook (install jupyter-notebook): ${e.message}`)));
    child.once('exit', (code) => ok(code ?? 0));
  });
}

/** Registers `kernel`, `install`, `uninstall` and `start` on the program. */
export function registerJupyter(program: Command): void {
  program
    .command('kernel')
    .description('run the Jupyter kernel (started by Jupyter)')
    .requiredOption('--connection-file <file>', 'the connection file written by Jupyter')
    .action(async (o: { connectionFile: string }) => {
      const { Kernel } = await import('../kernel/kernel.js');
      const kernel = await Kernel.start(o.connectionFile);
      process.once('SIGTERM', () => void kernel.shutdown());
      await kernel.closed;
    });
  withScopeOptions(program.command('install').description('install the "transportlab" Jupyter kernelspec, the JupyterLab widget extension and the widget scripts for VS Code')).action((o: ScopeOptions) => {
    const scope = scopeOf(o);
    process.stdout.write(`installed kernelspec transportlab in ${installKernelspec(scope)}\n`);
    const lab = installLabextension(scope);
    process.stdout.write(lab ? `installed JupyterLab extension in ${lab}\n` : `JupyterLab extension not built (no ${LABEXTENSION_SOURCE}; run npm run build:labextension), skipped\n`);
    const nb = installNbextension(scope);
    process.stdout.write(nb ? `installed widget scripts for RequireJS (VS Code) in ${nb}\n` : `widget AMD bundle not built (no ${NBEXTENSION_SOURCE}; run npm run build:frontend), skipped\n`);
  });
  withScopeOptions(program.command('uninstall').description('remove the "transportlab" Jupyter kernelspec, the JupyterLab widget extension and the widget scripts for VS Code')).action((o: ScopeOptions) => {
    const scope = scopeOf(o);
    const dir = uninstallKernelspec(scope);
    process.stdout.write(dir ? `removed ${dir}\n` : 'no transportlab kernelspec there\n');
    const lab = uninstallLabextension(scope);
    process.stdout.write(lab ? `removed ${lab}\n` : 'no transportlab JupyterLab extension there\n');
    const nb = uninstallNbextension(scope);
    process.stdout.write(nb ? `removed ${nb}\n` : 'no transportlab widget scripts there\n');
  });
  withServerOptions(program.command('start').description('start a local Jupyter notebook server on the notebooks folder with the transportlab kernel'))
    .action(async (o: ServerCommandOptions) => {
      const code = await startServer(o);
      if (code !== 0) throw new Error(`the notebook server exited with code ${code}`);
    });
}
