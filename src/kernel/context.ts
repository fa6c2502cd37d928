/**
 * Who owns the output being produced right now. Every cell runs inside an AsyncLocalStorage
 * context holding its request (the parent header of its output) and its abort controller, so
 * output and display messages from async work started by a cell (timers, promises, loops) go to
 * that cell even after another cell started. Outside any context (a callback scheduled before any
 * cell), output goes to the most recent request, as ipykernel does.
 *
 * The running kernel registers its IOPub publisher here; the display API and comms publish
 * through it. Without a kernel (a plain Node script) nothing is registered.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Message } from './wire.js';

/** The context of one request being handled (an execute_request or a comm message). */
export interface RequestContext {
  /** The request: its header is the parent header of every message produced in this context. */
  readonly parent: Message;
  /** Aborted by an interrupt while this cell runs. */
  readonly controller: AbortController;
  /** Payloads of the execute_reply (e.g. `{ source: 'page', data }` from `display.page`). */
  readonly payloads: Record<string, unknown>[];
}

/** Extra parts of a published message. */
export interface PublishExtras {
  metadata?: Record<string, unknown>;
  buffers?: Buffer[];
}

/** Sends one IOPub message with the current parent. */
export type Publisher = (msgType: string, content: Record<string, unknown>, extras?: PublishExtras) => void;

const storage = new AsyncLocalStorage<RequestContext>();
let latest: RequestContext | undefined;
let publisher: Publisher | undefined;

/** A fresh context for the request `parent`. */
export function newContext(parent: Message): RequestContext {
  return { parent, controller: new AbortController(), payloads: [] };
}

/** Runs `fn` with `ctx` as the owner of all output it produces, synchronously and asynchronously. */
export function runInContext<T>(ctx: RequestContext, fn: () => T): T {
  latest = ctx;
  return storage.run(ctx, fn);
}

/** The context owning output produced now: the enclosing request, else the most recent one. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore() ?? latest;
}

/** Registers (or, with `undefined`, removes) the kernel's IOPub publisher. */
export function setPublisher(p: Publisher | undefined): void {
  publisher = p;
}

/** The kernel's publisher, or `undefined` outside a kernel. */
export function getPublisher(): Publisher | undefined {
  return publisher;
}
