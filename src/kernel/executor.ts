/**
 * Runs TypeScript cells with tslab's converter (TypeScript → JavaScript through a language
 * service that also gives completion and inspection) and executor (the Node VM, top-level await,
 * declarations carried from cell to cell), and adds what a transportlab kernel needs:
 *
 * - the value of the last expression and the thrown error are returned (tslab prints them);
 * - `transportlab`, `transportlab/kernel` and the package's dependencies (`@tensorflow/tfjs`,
 *   arquero...) resolve in every cell, for type checking and at run time, wherever the notebook
 *   lives: paths under `<cwd>/node_modules` that do not exist are served from the package's own
 *   directory, and `require` falls back to the package's `node_modules`;
 * - every `await` in a cell becomes a checkpoint: after an interrupt the cell stops at its next
 *   await with an {@link Interrupted} error (SIGINT during synchronous code stops it at once);
 * - `display` is a global (typed for the converter too);
 * - is_complete also answers "invalid" for code that does not parse.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import type * as TS from '@tslab/typescript-for-tslab';
import type { Converter, CompletionInfo } from 'tslab/dist/converter.js';
import type { ConsoleInterface, ConverterSet, Executor } from 'tslab/dist/executor.js';
import { currentContext, getPublisher } from './context.js';
import { display } from './display.js';
import { PACKAGE_ROOT } from './paths.js';


const requireTslab = createRequire(createRequire(import.meta.url).resolve('tslab/package.json'));
const ts = requireTslab('@tslab/typescript-for-tslab') as typeof TS;
const tslabConverter = requireTslab('./dist/converter.js') as {
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
  isCompleteCode(code: string): { completed: boolean; indent?: string };
};
const tslabExecutor = requireTslab('./dist/executor.js') as {
  createExecutor(rootDir: string, convs: ConverterSet, console: ConsoleInterface): Executor;
};
const tslabJupyter = requireTslab('./dist/jupyter.js') as { lastWriteDisplayData: ((content: object, update: boolean) => void) | null };
const { printQuickInfo } = requireTslab('./dist/inspect.js') as { printQuickInfo(info: TS.QuickInfo): string };

/** The version of the TypeScript compiler that converts cells (tslab's). */
export const TYPESCRIPT_VERSION: string = ts.version;

/** The error a cell ends with after an interrupt. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('interrupted by the user');
  }
}

/** The outcome of one cell. */
export type CellResult =
  | { status: 'ok'; hasValue: boolean; value?: unknown }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

const CHECKPOINT = '__transportlab_checkpoint__';

/**
 * Called (through code rewriting) on the operand of every `await` in a cell: throws
 * {@link Interrupted} once the cell's context was aborted, so the cell stops there.
 */
export function checkpoint<T>(operand: T): T {
  if (currentContext()?.controller.signal.aborted) {
    // The operand already started; its rejection, if any, belongs to nobody now.
    if (operand && typeof (operand as { then?: unknown }).then === 'function') (operand as unknown as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new Interrupted();
  }
  return operand;
}

/** Wraps the operand of every `await` expression of `js` in a checkpoint call (textual edits, so the code is otherwise unchanged). */
export function instrumentAwaits(js: string): string {
  if (!js.includes('await')) return js;
  const prefix = '(async function () {\n';
  const sf = ts.createSourceFile('cell.js', `${prefix}${js}\n})`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: { pos: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isAwaitExpression(node)) {
      edits.push({ pos: node.expression.getStart(sf) - prefix.length, text: `${CHECKPOINT}(` }, { pos: node.expression.end - prefix.length, text: ')' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  edits.sort((a, b) => b.pos - a.pos);
  let out = js;
  for (const e of edits) out = out.slice(0, e.pos) + e.text + out.slice(e.pos);
  return out;
}

/**
 * Makes paths under `<cwd>/node_modules` that do not exist resolve in the package directory, for
 * the TypeScript compiler of tslab (which resolves modules from the kernel's working directory):
 * `transportlab` → the package itself (`transportlab/kernel` → `dist/kernel`), anything else →
 * the package's `node_modules`.
 */
let resolutionInstalled = false;

function installTypeResolution(cwd: string): void {
  if (resolutionInstalled) return;
  resolutionInstalled = true;
  const prefix = `${cwd.replace(/\\/g, '/')}/node_modules/`;
  const map = (p: string): string => {
    if (!p.startsWith(prefix)) return p;
    const rest = p.slice(prefix.length);
    if (rest === 'transportlab' || rest.startsWith('transportlab/')) {
      const sub = rest.slice('transportlab'.length);
      return /^\/kernel(\.|\/|$)/.test(sub) ? `${PACKAGE_ROOT}/dist${sub}` : `${PACKAGE_ROOT}${sub}`;
    }
    return existsSync(p) ? p : `${PACKAGE_ROOT}/node_modules/${rest}`;
  };
  const sys = ts.sys as TS.System & Record<string, unknown>;
  for (const name of ['fileExists', 'directoryExists', 'readFile', 'readDirectory', 'getDirectories', 'realpath', 'getModifiedTime'] as const) {
    const original = sys[name] as ((p: string, ...rest: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') continue;
    sys[name] = ((p: string, ...rest: unknown[]) => original.call(ts.sys, map(p), ...rest)) as never;
  }
}

/** A cell runner: tslab's converter and executor, one per kernel. */
export class CellExecutor {
  private readonly executor: Executor;
  private capture = { hasValue: false, value: undefined as unknown, errors: [] as unknown[], diagnostics: [] as string[] };

  /** `cwd`: the directory cells run in (the notebook's directory). */
  constructor(cwd: string = process.cwd(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {
    installTypeResolution(cwd);
    const node = tslabConverter.createConverter({ isJS: false, isBrowser: false });
    const instrumented: Converter = {
      ...node,
      convert: (prevDecl, src) => {
        const r = node.convert(prevDecl, src);
        if (r.output) r.output = instrumentAwaits(r.output);
        return r;
      },
    };
    let browser: Converter | undefined;
    const convs: ConverterSet = {
      node: instrumented,
      get browser() {
        browser ??= tslabConverter.createConverter({ isJS: false, isBrowser: true });
        return browser;
      },
      close: () => {
        node.close();
        browser?.close();
      },
    };
    const sink: ConsoleInterface = {
      log: (value: unknown) => {
        this.capture.hasValue = true;
        this.capture.value = value;
      },
      error: (first: unknown, ...rest: unknown[]) => {
        if (typeof first === 'string' && first.startsWith('%s%d:%d')) this.capture.diagnostics.push(format(first, ...rest));
        else this.capture.errors.push(first);
      },
    };
    this.executor = tslabExecutor.createExecutor(cwd, convs, sink);
    this.installRequire();
    const g = globalThis as Record<string, unknown>;
    g[CHECKPOINT] = checkpoint;
    g.display = display;
    // cells written for plain tslab (`import { display } from 'tslab'`) display through this kernel too
    tslabJupyter.lastWriteDisplayData = (content, update) => getPublisher()?.(update ? 'update_display_data' : 'display_data', content as unknown as Record<string, unknown>);
    const displayTypes = fileURLToPath(new URL('./display.js', import.meta.url));
    const diags = node.addModule('__transportlab_globals__', `declare global {\n  /** Displays a value in the cell's output (see transportlab/kernel). */\n  const display: typeof import(${JSON.stringify(displayTypes)}).display;\n}\n`);
    for (const d of diags) log(`kernel globals: ${d.messageText}`);
  }

  /** Cells' `require`: tslab's, plus `transportlab` and the package's dependencies from anywhere. */
  private installRequire(): void {
    const holder = (globalThis as unknown as { __tslab__: { require: NodeJS.Require } }).__tslab__;
    const base = holder.require;
    const pkgRequire = createRequire(join(PACKAGE_ROOT, 'package.json'));
    // the kernel's own module instances (so cells and the kernel share loop signals, comms, display)
    const own: Record<string, string> = { transportlab: fileURLToPath(new URL('../index.js', import.meta.url)), 'transportlab/kernel': fileURLToPath(new URL('./index.js', import.meta.url)) };
    holder.require = Object.assign((id: string) => {
      if (id in own) return pkgRequire(own[id]);
      try {
        return base(id);
      } catch (e) {
        if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' || id.startsWith('.') || id.startsWith('/')) throw e;
        return pkgRequire(id);
      }
    }, base);
  }

  /** Runs one cell. Never throws: errors (compile, runtime, interrupt) come back as a result. */
  async run(code: string): Promise<CellResult> {
    this.capture = { hasValue: false, value: undefined, errors: [], diagnostics: [] };
    const ok = await this.executor.execute(code);
    const { hasValue, value, errors, diagnostics } = this.capture;
    if (ok) return { status: 'ok', hasValue, value };
    if (diagnostics.length > 0) return { status: 'error', ename: 'TypeScriptError', evalue: diagnostics[0], traceback: diagnostics };
    // SIGINT during the synchronous part of a cell (the VM runs it with breakOnSigint)
    if ((errors[0] as { code?: string } | undefined)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') return errorResult(new Interrupted());
    return errorResult(errors[0]);
  }

  /** Stops the running cell's wait at once (the cell's own code stops at its next await). */
  interrupt(): void {
    this.executor.interrupt();
  }

  /** Completions at `cursor` (a character offset). */
  complete(code: string, cursor: number): CompletionInfo {
    return this.executor.complete(code, cursor);
  }

  /** The type and documentation of the symbol at `cursor`, or `undefined`. */
  inspect(code: string, cursor: number): string | undefined {
    const info = this.executor.inspect(code, cursor);
    return info ? printQuickInfo(info) : undefined;
  }

  /** Whether `code` is a complete cell ('complete'), needs more lines ('incomplete', with an indent) or cannot parse ('invalid'). */
  isComplete(code: string): { status: 'complete' | 'incomplete' | 'invalid'; indent?: string } {
    const r = tslabConverter.isCompleteCode(code);
    if (!r.completed) return { status: 'incomplete', indent: r.indent ?? '' };
    const sf = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as TS.SourceFile & { parseDiagnostics?: unknown[] };
    return { status: sf.parseDiagnostics && sf.parseDiagnostics.length > 0 ? 'invalid' : 'complete' };
  }

  /** Releases the language service. */
  close(): void {
    this.executor.close();
  }
}

/** The error content of a thrown value (name, message, stack lines without kernel internals). */
export function errorResult(e: unknown): CellResult {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as Error;
    const ename = err.name || err.constructor?.name || 'Error';
    const evalue = String(err.message ?? '');
    const stack = typeof err.stack === 'string' ? err.stack.split('\n') : [`${ename}: ${evalue}`];
    const here = dirname(fileURLToPath(import.meta.url));
    const traceback = stack.filter((l) => !l.includes(here) && !l.includes('node_modules/tslab/') && !/\bnode:/.test(l));
    return { status: 'error', ename, evalue, traceback };
  }
  return { status: 'error', ename: 'Error', evalue: `thrown: ${format('%o', e)}`, traceback: [`Uncaught ${format('%o', e)}`] };
}
