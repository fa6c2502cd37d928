/**
 * The transportlab Jupyter kernel: message dispatch for protocol 5.3 over the sockets of
 * {@link KernelSockets}, with cells run one at a time, in order, by a {@link CellExecutor}.
 *
 * Per shell request: `status: busy` → (for execute: `execute_input`, output, `execute_result` or
 * `error`) → reply → `status: idle`, every IOPub message carrying the request as parent header.
 * Requests other than execute (complete, inspect, comms...) are answered at once, also while a
 * cell awaits, so widgets stay live during a loop. An interrupt (interrupt_request on the control
 * channel, or SIGINT) aborts the running cell's AbortController, which is also transportlab's
 * ambient loop signal (run drivers stop with their partial results), stops the cell at its next
 * await, and ends the cell's wait after a grace period.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setAmbientSignal } from '../core/loop.js';
import { comms } from './comm.js';
import { newContext, runInContext, setPublisher, currentContext, type PublishExtras, type RequestContext } from './context.js';
import { isDisplayHandle, mimeBundle } from './display.js';
import { CellExecutor, Interrupted, TYPESCRIPT_VERSION, errorResult, type CellResult } from './executor.js';
import { PACKAGE_ROOT } from './paths.js';
import { KernelSockets, type Channel, type Logger } from './sockets.js';
import { PROTOCOL_VERSION, newHeader, readConnectionFile, type ConnectionInfo, type Message } from './wire.js';

/** How long an interrupted cell may take to reach its next await before its wait is cut. */
const INTERRUPT_GRACE_MS = 1000;

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
}

/** One history entry: [session, line, input, output]. */
type HistoryEntry = [number, number, string, string | null];

/** A running kernel. */
export class Kernel {
  /** This kernel's session id (the `session` of every message it sends). */
  readonly session = randomUUID();
  /** Resolves when the kernel has shut down. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private executionCount = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private readonly aborted = new Set<string>();
  private running?: RequestContext;
  private readonly history: HistoryEntry[] = [];
  private readonly originalWrite = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  private pendingStream?: { parent: Message; name: 'stdout' | 'stderr'; text: string };
  private readonly onSigint = () => this.interrupt();
  /** Errors of async work nobody awaits go to the stderr of the cell that owns it; the kernel stays up. */
  private readonly onAsyncError = (e: unknown) => {
    if (e instanceof Interrupted) return;
    const err = errorResult(e) as Extract<CellResult, { status: 'error' }>;
    process.stderr.write(`Uncaught ${err.traceback.join('\n')}\n`);
  };

  private constructor(private readonly sockets: KernelSockets, private readonly executor: CellExecutor, private readonly log: Logger) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  /** Binds the sockets of `connection` and starts serving. `cwd`: where cells run (default: the process's directory). */
  static async start(connection: ConnectionInfo | string, options: { cwd?: string } = {}): Promise<Kernel> {
    const conn = typeof connection === 'string' ? readConnectionFile(connection) : connection;
    const rawStderr = process.stderr.write.bind(process.stderr);
    const log: Logger = (line) => void rawStderr(`[transportlab kernel] ${line}\n`);
    const executor = new CellExecutor(options.cwd ?? process.cwd(), log);
    const sockets = await KernelSockets.bind(conn, log);
    const kernel = new Kernel(sockets, executor, log);
    kernel.serve();
    return kernel;
  }

  private serve(): void {
    setPublisher((msgType, content, extras) => this.publish(currentContext()?.parent, msgType, content, extras));
    const stream = (name: 'stdout' | 'stderr') =>
      ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error) => void), cb?: (e?: Error) => void) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        const ctx = currentContext();
        if (ctx) this.writeStream(ctx.parent, name, text);
        else this.originalWrite[name](text);
        (typeof encoding === 'function' ? encoding : cb)?.();
        return true;
      }) as typeof process.stdout.write;
    process.stdout.write = stream('stdout');
    process.stderr.write = stream('stderr');
    process.on('SIGINT', this.onSigint);
    process.on('unhandledRejection', this.onAsyncError);
    process.on('uncaughtException', this.onAsyncError);
    this.sockets.listen('shell', (msg) => this.handleShell('shell', msg));
    this.sockets.listen('control', (msg) => this.handleShell('control', msg));
    this.sockets.listen('stdin', (msg) => this.log(`stdin: unexpected ${msg.header.msg_type}`));
    this.publish(undefined, 'status', { execution_state: 'starting' });
    this.log(`started (session ${this.session})`);
  }

  /**
   * Buffers stream text: consecutive writes to the same stream of the same request become one
   * `stream` message, sent at the next turn of the event loop (as ipykernel's OutStream flushes),
   * before any other message, or when 64 KiB have accumulated.
   */
  private writeStream(parent: Message, name: 'stdout' | 'stderr', text: string): void {
    const p = this.pendingStream;
    if (p && p.parent === parent && p.name === name) p.text += text;
    else {
      this.flushStream();
      this.pendingStream = { parent, name, text };
      setImmediate(() => this.flushStream());
    }
    if (this.pendingStream!.text.length >= 65536) this.flushStream();
  }

  private flushStream(): void {
    const p = this.pendingStream;
    if (!p) return;
    this.pendingStream = undefined;
    this.sendIopub(p.parent, 'stream', { name: p.name, text: p.text });
  }

  /** Sends an IOPub message with `parent` as parent header (after any buffered stream text). */
  private publish(parent: Message | undefined, msgType: string, content: Record<string, unknown>, extras: PublishExtras = {}): void {
    this.flushStream();
    this.sendIopub(parent, msgType, content, extras);
  }

  private sendIopub(parent: Message | undefined, msgType: string, content: Record<string, unknown>, extras: PublishExtras = {}): void {
    void this.sockets.send('iopub', {
      identities: [Buffer.from(`kernel.${this.session}.${msgType}`)],
      header: newHeader(msgType, this.session),
      parent_header: parent?.header ?? {},
      metadata: extras.metadata ?? {},
      content,
      buffers: extras.buffers ?? [],
    });
  }

  private status(parent: Message, state: 'busy' | 'idle'): void {
    this.publish(parent, 'status', { execution_state: state });
  }

  private reply(channel: Channel, parent: Message, msgType: string, content: Record<string, unknown>): void {
    this.flushStream();
    void this.sockets.send(channel, { identities: parent.identities, header: newHeader(msgType, this.session), parent_header: parent.header, metadata: {}, content, buffers: [] });
  }

  private handleShell(channel: Channel, msg: Message): void {
    const type = msg.header.msg_type;
    if (type === 'execute_request') return this.enqueueExecute(channel, msg);
    void this.handleNow(channel, msg);
  }

  private async handleNow(channel: Channel, msg: Message): Promise<void> {
    const type = msg.header.msg_type;
    const reply = (content: Record<string, unknown>) => this.reply(channel, msg, type.replace(/_request$/, '_reply'), content);
    this.status(msg, 'busy');
    try {
      switch (type) {
        case 'kernel_info_request':
          reply(this.kernelInfo());
          break;
        case 'complete_request': {
          const { code, cursor_pos } = msg.content as { code: string; cursor_pos: number };
          const info = this.executor.complete(code, cursor_pos ?? code.length);
          reply({ status: 'ok', matches: info.candidates, cursor_start: info.start, cursor_end: info.end, metadata: {} });
          break;
        }
        case 'inspect_request': {
          const { code, cursor_pos } = msg.content as { code: string; cursor_pos: number };
          const text = this.executor.inspect(code, cursor_pos ?? code.length);
          reply({ status: 'ok', found: text !== undefined, data: text === undefined ? {} : { 'text/plain': text }, metadata: {} });
          break;
        }
        case 'is_complete_request':
          reply(this.executor.isComplete((msg.content as { code: string }).code));
          break;
        case 'history_request':
          reply({ status: 'ok', history: this.historyReply(msg.content) });
          break;
        case 'comm_info_request':
          reply({ status: 'ok', comms: comms.info((msg.content as { target_name?: string }).target_name) });
          break;
        case 'comm_open':
        case 'comm_msg':
        case 'comm_close':
          await runInContext(newContext(msg), () => comms.handle(msg));
          break;
        case 'interrupt_request':
          this.interrupt();
          reply({ status: 'ok' });
          break;
        case 'shutdown_request': {
          const restart = Boolean((msg.content as { restart?: boolean }).restart);
          reply({ status: 'ok', restart });
          this.publish(msg, 'shutdown_reply', { status: 'ok', restart }); // for the other clients, as ipykernel does
          this.status(msg, 'idle');
          await this.shutdown();
          return;
        }
        default:
          this.log(`unknown message type ${type} dropped`);
      }
    } catch (e) {
      const err = errorResult(e) as Extract<CellResult, { status: 'error' }>;
      this.log(`${type} failed: ${err.evalue}`);
      if (type.endsWith('_request')) reply({ status: 'error', ename: err.ename, evalue: err.evalue, traceback: err.traceback });
    }
    this.status(msg, 'idle');
  }

  /** The content of kernel_info_reply: protocol 5.3, TypeScript, CodeMirror's typescript mode (as tslab sets it). */
  kernelInfo(): Record<string, unknown> {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'transportlab',
      implementation_version: (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      language_info: {
        name: 'typescript',
        version: TYPESCRIPT_VERSION,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
      },
      banner: `TypeScript (transportlab) on Node ${process.version}, tslab converter`,
      help_links: [{ text: 'transportlab', url: 'https://github.com/transportlab/transportlab' }],
    };
  }

  private enqueueExecute(channel: Channel, msg: Message): void {
    this.pending.add(msg.header.msg_id);
    this.queue = this.queue.then(() => this.execute(channel, msg)).catch((e: unknown) => this.log(`execute failed: ${(e as Error)?.stack ?? e}`));
  }

  private async execute(channel: Channel, msg: Message): Promise<void> {
    this.pending.delete(msg.header.msg_id);
    const req = msg.content as unknown as ExecuteRequest;
    this.status(msg, 'busy');
    if (this.aborted.delete(msg.header.msg_id)) {
      this.reply(channel, msg, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      this.status(msg, 'idle');
      return;
    }
    const silent = Boolean(req.silent);
    const storeHistory = !silent && req.store_history !== false;
    if (storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    if (!silent) this.publish(msg, 'execute_input', { code: req.code, execution_count: count });

    const ctx = newContext(msg);
    this.running = ctx;
    setAmbientSignal(ctx.controller.signal);
    let result: CellResult;
    try {
      result = await runInContext(ctx, () => this.executor.run(String(req.code ?? '')));
    } finally {
      this.running = undefined;
      setAmbientSignal(undefined);
    }
    if (ctx.controller.signal.aborted) result = errorResult(new Interrupted()); // whatever the cell did after the interrupt

    let output: string | null = null;
    if (result.status === 'ok') {
      if (result.hasValue && !silent && !isDisplayHandle(result.value)) {
        const { data, metadata } = mimeBundle(result.value);
        output = String(data['text/plain'] ?? '');
        this.publish(msg, 'execute_result', { execution_count: count, data, metadata });
      }
      this.reply(channel, msg, 'execute_reply', { status: 'ok', execution_count: count, payload: ctx.payloads, user_expressions: {} });
    } else {
      const { ename, evalue, traceback } = result;
      if (!silent) this.publish(msg, 'error', { ename, evalue, traceback });
      if (req.stop_on_error !== false) for (const id of this.pending) this.aborted.add(id);
      this.reply(channel, msg, 'execute_reply', { status: 'error', execution_count: count, ename, evalue, traceback });
    }
    if (storeHistory) this.history.push([1, count, req.code, output]);
    this.status(msg, 'idle');
  }

  private historyReply(content: Record<string, unknown>): unknown[][] {
    const { output, hist_access_type: type, n, start, stop, pattern, unique } = content as {
      output?: boolean; hist_access_type?: string; n?: number; start?: number; stop?: number; pattern?: string; unique?: boolean;
    };
    let rows = this.history;
    if (type === 'tail') rows = rows.slice(-(n ?? 10));
    else if (type === 'range') rows = rows.filter(([, line]) => line >= (start ?? 0) && (stop === undefined || stop === null || line < stop));
    else if (type === 'search') {
      const glob = new RegExp(`^${String(pattern ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
      rows = rows.filter(([, , input]) => glob.test(input));
      if (unique) rows = rows.filter((r, i) => rows.findIndex((q) => q[2] === r[2]) === i);
      if (n) rows = rows.slice(-n);
    }
    return rows.map(([s, l, input, out]) => (output ? [s, l, [input, out]] : [s, l, input]));
  }

  /** Interrupts the running cell (if any): aborts its signal, then cuts its wait after a grace period. */
  interrupt(): void {
    const ctx = this.running;
    if (!ctx) return;
    ctx.controller.abort(new Interrupted());
    setTimeout(() => {
      if (this.running === ctx) this.executor.interrupt();
    }, INTERRUPT_GRACE_MS).unref();
  }

  /** Stops serving: closes the sockets and the language service, restores stdout/stderr. */
  async shutdown(): Promise<void> {
    process.off('SIGINT', this.onSigint);
    process.off('unhandledRejection', this.onAsyncError);
    process.off('uncaughtException', this.onAsyncError);
    setPublisher(undefined);
    this.flushStream();
    await this.sockets.close();
    process.stdout.write = this.originalWrite.stdout as typeof process.stdout.write;
    process.stderr.write = this.originalWrite.stderr as typeof process.stderr.write;
    this.executor.close();
    this.resolveClosed();
  }
}
